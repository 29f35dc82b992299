/**
 * A webinar end to end in Chromium with fake media devices, through the desktop harness (real
 * main-process services, real server, real keychain): a host and two attendees in separate browser
 * contexts, as separate users. The host goes live with mic and camera; both attendees decode video
 * frames and receive audio; the host shares a screen; chat both ways; an attendee raises a hand,
 * is promoted, and their camera reaches the other attendee; the host ends the webinar.
 *
 * Screen share: headless Chromium has no desktop to capture, so an init script replaces
 * navigator.mediaDevices.getDisplayMedia with a canvas.captureStream() STAND-IN (see
 * CANVAS_DISPLAY_STAND_IN). Everything before it (our picker, screenShare.listSources/select over
 * the real IPC handler table) is the app's real path.
 */
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { KeytarSecretStore } from '../../src-main/session/keytar-secret-store';
import { launchDesktopApp, type DesktopApp } from '../helpers/desktop-harness';
import { startTestServer } from '../helpers/test-server';
import { FIXTURE_PASSWORD, newUser, type TestUser } from '../helpers/webinar-fixtures';
import { decodesFrames } from './page-media';

const SHOTS = 'test-results/screens';
mkdirSync(SHOTS, { recursive: true });

/** STAND-IN for display capture: a moving canvas stream where no desktop exists to capture. */
const CANVAS_DISPLAY_STAND_IN = `
  (() => {
    const standIn = async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 960; canvas.height = 540;
      const ctx = canvas.getContext('2d');
      let n = 0;
      const draw = () => {
        n++;
        ctx.fillStyle = 'hsl(' + (n * 3 % 360) + ', 60%, 45%)';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.fillStyle = '#fff';
        ctx.font = '48px sans-serif';
        ctx.fillText('Screen share stand-in (canvas) #' + n, 60, 280);
      };
      draw();
      setInterval(draw, 50);
      return canvas.captureStream(20);
    };
    Object.defineProperty(navigator.mediaDevices, 'getDisplayMedia', { value: standIn, configurable: true });
  })();
`;

/** Test-only probe: remembers every RTCPeerConnection so the test can read receiver stats. */
const PEER_CONNECTION_PROBE = `
  (() => {
    const Original = window.RTCPeerConnection;
    window.__pcs = [];
    window.RTCPeerConnection = class extends Original {
      constructor(...args) { super(...args); window.__pcs.push(this); }
    };
  })();
`;

let server: Awaited<ReturnType<typeof startTestServer>>;
const apps: DesktopApp[] = [];
const appIds: string[] = [];

test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await Promise.all(apps.map((a) => a.close().catch(() => {})));
  for (const appId of appIds) {
    const store = new KeytarSecretStore({ service: appId });
    for (const { account } of await store.list().catch(() => [])) await store.delete(account).catch(() => {});
  }
  await server?.close();
});

/** One desktop app per user: own browser context and own keychain service (appId). */
async function launchAs(browser: import('@playwright/test').Browser, user: TestUser): Promise<Page> {
  const appId = `webinar-e2e-${randomUUID()}`;
  appIds.push(appId);
  const app = await launchDesktopApp({ browser, appId, serverUrl: server.url });
  apps.push(app);
  await app.context.addInitScript({ content: CANVAS_DISPLAY_STAND_IN });
  await app.context.addInitScript({ content: PEER_CONNECTION_PROBE });
  await app.page.reload();
  const state = await app.service.signIn(server.url, user.email, FIXTURE_PASSWORD);
  expect(state.status).toBe('signedIn');
  await expect(app.page.getByTestId('lobby')).toBeVisible();
  return app.page;
}


async function expectVideo(page: Page, selector: string): Promise<void> {
  await expect.poll(() => decodesFrames(page, selector), { timeout: 15_000, message: `decoded frames in ${selector}` }).toBe(true);
}

/** Audio bytes received over all peer connections (grows while a remote mic is flowing). */
async function audioBytesReceived(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let total = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') total += r.bytesReceived ?? 0;
      });
    }
    return total;
  });
}

async function expectAudio(page: Page, publisherId: string): Promise<void> {
  await expect(page.locator(`audio[data-testid="remote-audio"][data-publisher-id="${publisherId}"]`)).toHaveCount(1);
  const hasTrack = await page.evaluate((id) => {
    const el = document.querySelector<HTMLAudioElement>(`audio[data-publisher-id="${id}"]`);
    const stream = el?.srcObject as MediaStream | null;
    return !!stream && stream.getAudioTracks().some((t) => t.readyState === 'live');
  }, publisherId);
  expect(hasTrack).toBe(true);
  const first = await audioBytesReceived(page);
  await expect.poll(() => audioBytesReceived(page), { timeout: 10_000, message: 'audio bytes keep arriving' }).toBeGreaterThan(first);
}

/** Ids of the remote tracks a page plays for one publisher's voice and camera. */
async function voiceAndCameraTracks(page: Page, publisherId: string): Promise<{ audio?: string; camera?: string }> {
  return page.evaluate((id) => {
    const tracks = (selector: string) => (document.querySelector<HTMLMediaElement>(selector)?.srcObject as MediaStream | null)?.getTracks() ?? [];
    return {
      audio: tracks(`audio[data-testid="remote-audio"][data-publisher-id="${id}"]`).find((t) => t.kind === 'audio' && t.readyState === 'live')?.id,
      camera: tracks(`video[data-testid="stage-camera"][data-publisher-id="${id}"]`).find((t) => t.kind === 'video' && t.readyState === 'live')?.id,
    };
  }, publisherId);
}

const participantRow = (page: Page, id: string) => page.locator(`[data-testid="participant"][data-participant-id="${id}"]`);

test('host and two attendees: live media, screen share, chat, hand → promote, end', async ({ browser }) => {
  test.setTimeout(90_000);
  const [hostUser, aliceUser, bobUser] = await Promise.all([newUser(server.url, 'Hedy Host'), newUser(server.url, 'Alice Attendee'), newUser(server.url, 'Bob Attendee')]);
  const [host, alice, bob] = await Promise.all([launchAs(browser, hostUser), launchAs(browser, aliceUser), launchAs(browser, bobUser)]);

  // Lobby: the host creates a webinar and joins it from the list.
  const form = host.getByTestId('create-webinar-form');
  await form.locator('input[name=title]').fill('Quarterly all-hands');
  await form.getByRole('button', { name: 'Create' }).click();
  const row = host.getByTestId('webinar-row').filter({ hasText: 'Quarterly all-hands' });
  await expect(row).toBeVisible();
  const webinarId = (await row.getAttribute('data-webinar-id'))!;
  await host.screenshot({ path: `${SHOTS}/10-lobby.png` });
  await row.getByRole('button', { name: /join|start|open/i }).click();
  await expect(host.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(host.getByTestId('my-role')).toHaveText('host');

  // The host goes live with mic and camera.
  await host.getByTestId('go-live').click();
  await expect(host.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true');
  await expect(host.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'true');
  await expectVideo(host, `video[data-testid="stage-camera"][data-publisher-id="${hostUser.id}"]`); // own preview

  // Two attendees join by ID.
  for (const page of [alice, bob]) {
    await page.getByTestId('join-form').locator('input[name=link]').fill(webinarId);
    await page.getByTestId('join-form').getByRole('button', { name: 'Join' }).click();
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('my-role')).toHaveText('attendee');
    // An attendee has no publishing or host controls.
    await expect(page.getByTestId('go-live')).toHaveCount(0);
    await expect(page.getByTestId('end-webinar')).toHaveCount(0);
  }
  await expect(host.getByTestId('participant')).toHaveCount(3);

  // Both attendees decode the host's camera and receive the host's audio.
  for (const page of [alice, bob]) {
    await expectVideo(page, `video[data-testid="stage-camera"][data-publisher-id="${hostUser.id}"]`);
    await expectAudio(page, hostUser.id);
  }

  // The host shares a screen through our picker (getDisplayMedia is the canvas stand-in). The
  // connections renegotiate: the voice and camera keep playing on the same tracks.
  const before = await Promise.all([alice, bob].map((page) => voiceAndCameraTracks(page, hostUser.id)));
  expect(before.every((t) => t.audio && t.camera)).toBe(true);
  await host.getByTestId('toggle-screen').click();
  await expect(host.getByTestId('screen-picker')).toBeVisible();
  await host.getByTestId('screen-source').first().click();
  await expect(host.getByTestId('toggle-screen')).toHaveAttribute('aria-pressed', 'true');
  for (const page of [alice, bob]) {
    await expectVideo(page, `video[data-testid="stage-screen"][data-publisher-id="${hostUser.id}"]`);
    // the camera stays on stage, small
    await expectVideo(page, `video[data-testid="stage-camera"][data-publisher-id="${hostUser.id}"]`);
    // The synchronizer measures the frames of the stage's own <video> elements, the ones seen: it keeps
    // no hidden probe element of its own for a video shown on stage.
    await expect(page.locator('video[data-sync-probe]')).toHaveCount(0);
  }
  await host.screenshot({ path: `${SHOTS}/11-room-host.png` });
  await alice.screenshot({ path: `${SHOTS}/12-room-attendee.png` });
  expect(await Promise.all([alice, bob].map((page) => voiceAndCameraTracks(page, hostUser.id)))).toEqual(before);

  // Stopping the share takes the screen off every stage and leaves voice and camera as they were.
  await host.getByTestId('toggle-screen').click();
  await expect(host.getByTestId('toggle-screen')).toHaveAttribute('aria-pressed', 'false');
  for (const page of [alice, bob]) {
    await expect(page.locator(`video[data-testid="stage-screen"][data-publisher-id="${hostUser.id}"]`)).toHaveCount(0);
    await expectVideo(page, `video[data-testid="stage-camera"][data-publisher-id="${hostUser.id}"]`);
  }
  expect(await Promise.all([alice, bob].map((page) => voiceAndCameraTracks(page, hostUser.id)))).toEqual(before);
  for (const page of [alice, bob]) await expectAudio(page, hostUser.id);

  // Camera off and on again: a new camera stream each time, renegotiated; the voice keeps flowing.
  await host.getByTestId('toggle-camera').click();
  await expect(host.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'false');
  for (const page of [alice, bob]) {
    await expect.poll(() => voiceAndCameraTracks(page, hostUser.id).then((t) => t.camera), { message: 'camera gone' }).toBeUndefined();
    await expectAudio(page, hostUser.id);
  }
  await host.getByTestId('toggle-camera').click();
  await expect(host.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'true');
  for (const page of [alice, bob]) {
    await expectVideo(page, `video[data-testid="stage-camera"][data-publisher-id="${hostUser.id}"]`);
    await expectAudio(page, hostUser.id);
  }

  // Chat both ways (the host allows attendee chat if it is off).
  const toggle = host.getByTestId('attendee-chat-toggle');
  // The box shows the server's state, so it flips after the round trip: click, then wait for it.
  if (!(await toggle.isChecked())) await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(bob.getByTestId('chat-form')).toBeVisible();
  await host.getByTestId('chat-form').locator('input').fill('Welcome, everyone!');
  await host.getByTestId('chat-form').getByRole('button', { name: 'Send' }).click();
  for (const page of [alice, bob]) await expect(page.getByTestId('chat-message').filter({ hasText: 'Welcome, everyone!' })).toHaveCount(1);
  await bob.getByTestId('chat-form').locator('input').fill('Thanks, glad to be here');
  await bob.getByTestId('chat-form').getByRole('button', { name: 'Send' }).click();
  for (const page of [host, alice]) await expect(page.getByTestId('chat-message').filter({ hasText: 'Thanks, glad to be here' })).toHaveCount(1);

  // Alice raises her hand; the host sees it and promotes her; she goes live; Bob gets her camera.
  await alice.getByTestId('toggle-hand').click();
  await expect(participantRow(host, aliceUser.id)).toHaveAttribute('data-hand', 'raised');
  await participantRow(host, aliceUser.id).getByRole('button', { name: 'Promote' }).click();
  await expect(alice.getByTestId('my-role')).toHaveText('panelist');
  await expect(participantRow(bob, aliceUser.id)).toHaveAttribute('data-role', 'panelist');
  await alice.getByTestId('go-live').click();
  await expectVideo(bob, `video[data-testid="publisher-camera"][data-publisher-id="${aliceUser.id}"]`);
  await expectVideo(host, `video[data-testid="publisher-camera"][data-publisher-id="${aliceUser.id}"]`);
  await bob.screenshot({ path: `${SHOTS}/13-room-promoted-panelist.png` });

  // The host ends the webinar; everyone sees it ended.
  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-webinar').click();
  for (const page of [host, alice, bob]) {
    await expect(page.getByTestId('room-ended')).toContainText('The webinar has ended.');
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'ended');
  }
  await bob.screenshot({ path: `${SHOTS}/14-room-ended.png` });
});
