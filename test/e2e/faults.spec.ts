/**
 * Issue 5, Faults, in the browser: the desktop harness (built renderer in Chromium, real
 * main-process services, real keychain) talks to the real server through a FaultProxy per app,
 * for HTTP and WebSocket alike (the server builds `wsUrl` from the Host header, i.e. the proxy).
 *
 * 1. One webinar (host publishing camera + mic, one attendee) through: an RST of the attendee's
 *    connections, an RST of the host's, a stall of the attendee's network (packets vanish, sockets
 *    stay open), a network loss on the desktop side (reset + refused for a while) and a server
 *    restart in the middle. After each: both back in the room, no duplicate in either list, chat
 *    exactly once, the attendee decodes the host's camera again (new peer connections), and the
 *    desktop session was never signed out.
 * 2. 100 RST cycles of the attendee's connections in one test, in a browser launched with
 *    --expose-gc: p50/p95 time back in the room, no duplicate participant at any cycle, no leaked
 *    RTCPeerConnection (constructed − closed, both pages), bounded JS heap.
 *
 * PEER_CONNECTION_COUNTER is TEST-ONLY instrumentation: it wraps window.RTCPeerConnection to count
 * constructions and closes (close() or connectionState 'closed'); the app is unchanged.
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeytarSecretStore } from '../../src-main/session/keytar-secret-store';
import type { SessionStatus } from '../../src-shared/session/session-state';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { launchDesktopApp, type DesktopApp } from '../helpers/desktop-harness';
import { FaultProxy } from '../helpers/fault-proxy';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createWebinar, FIXTURE_PASSWORD, newUser, type TestUser } from '../helpers/webinar-fixtures';
import { decodesFrames } from './page-media';

/** TEST-ONLY instrumentation: counts RTCPeerConnections constructed, closed, and still open. */
const PEER_CONNECTION_COUNTER = `
  (() => {
    const Original = window.RTCPeerConnection;
    const counts = { created: 0, closed: 0, open: new Set() };
    window.__pcCounts = () => ({ created: counts.created, closed: counts.closed, open: counts.open.size });
    window.RTCPeerConnection = class extends Original {
      constructor(...args) {
        super(...args);
        counts.created++;
        counts.open.add(this);
        const done = () => { if (counts.open.delete(this)) counts.closed++; };
        const close = this.close.bind(this);
        this.close = () => { done(); close(); };
        this.addEventListener('connectionstatechange', () => { if (this.connectionState === 'closed') done(); });
      }
    };
  })();
`;

const ENV = { WS_HEARTBEAT_MS: '2000' };
let dataDir: string;
let server: TestServer | null = null;
const apps: DesktopApp[] = [];
const appIds: string[] = [];
const proxies: FaultProxy[] = [];

function target(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}
const serverUrl = () => server!.url;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-e2e-'));
  server = await startTestServer({ env: { ...ENV, DATA_DIR: dataDir } });
});
// Each test's apps are closed when it ends: left running, the first test's host and attendee (live
// camera over WebRTC) shared two cores with the 100-cycle test, whose cycles then took p50 1 245 ms
// instead of 448 and ran past its timeout (CI, session 16).
test.afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close().catch(() => {})));
});
test.afterAll(async () => {
  for (const p of proxies) await p.stop();
  for (const appId of appIds) {
    const store = new KeytarSecretStore({ service: appId });
    for (const { account } of await store.list().catch(() => [])) await store.delete(account).catch(() => {});
  }
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface InRoom {
  app: DesktopApp;
  page: Page;
  proxy: FaultProxy;
  user: TestUser;
  /** Every session status the desktop app's SessionManager went through. */
  statuses: SessionStatus[];
}

/** A desktop app whose server URL is its own FaultProxy; signed in, in the webinar's room. */
async function enterRoom(browser: Browser, user: TestUser, webinarId: string): Promise<InRoom> {
  const proxy = new FaultProxy(target(serverUrl()));
  await proxy.start();
  proxies.push(proxy);
  const appId = `webinar-faults-${randomUUID()}`;
  appIds.push(appId);
  const app = await launchDesktopApp({ browser, appId, serverUrl: proxy.url });
  apps.push(app);
  await app.context.addInitScript({ content: PEER_CONNECTION_COUNTER });
  await app.page.reload();
  const statuses: SessionStatus[] = [];
  app.service.subscribe((s) => statuses.push(s.status));
  expect((await app.service.signIn(proxy.url, user.email, FIXTURE_PASSWORD)).status).toBe('signedIn');
  const page = app.page;
  await page.getByTestId('join-form').locator('input[name=link]').fill(webinarId);
  await page.getByTestId('join-form').getByRole('button', { name: 'Join' }).click();
  await expectLive(page);
  return { app, page, proxy, user, statuses };
}

const connection = (page: Page) => page.getByTestId('connection-state');
async function expectLive(page: Page, timeout = 20_000): Promise<void> {
  await expect(connection(page)).toHaveAttribute('data-state', 'live', { timeout });
}

/** Participant ids as listed on the page (duplicates kept, so a test can see them). */
function listedIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="participant"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-participant-id') ?? ''));
}

async function expectExactly(page: Page, ids: string[]): Promise<void> {
  await expect.poll(async () => (await listedIds(page)).sort(), { timeout: 20_000, message: 'participant list' }).toEqual([...ids].sort());
}


async function expectHostVideo(page: Page, hostId: string): Promise<void> {
  await expect.poll(() => decodesFrames(page, `video[data-testid="stage-camera"][data-publisher-id="${hostId}"]`), { timeout: 30_000, message: "decoding the host's camera" }).toBe(true);
}

function pcCounts(page: Page): Promise<{ created: number; closed: number; open: number }> {
  return page.evaluate(() => (window as unknown as { __pcCounts(): { created: number; closed: number; open: number } }).__pcCounts());
}

async function chatCount(page: Page, text: string): Promise<number> {
  return page.getByTestId('chat-message').filter({ hasText: text }).count();
}

async function sendChat(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-form').locator('input').fill(text);
  await page.getByTestId('chat-form').getByRole('button', { name: 'Send' }).click();
}

async function webinarWithHostLive(browser: Browser, title: string) {
  const [hostUser, attendeeUser] = await Promise.all([newUser(serverUrl(), 'Hedy Host'), newUser(serverUrl(), 'Alice Attendee')]);
  const { id: webinarId } = await createWebinar(serverUrl(), hostUser, title);
  const host = await enterRoom(browser, hostUser, webinarId);
  await host.page.getByTestId('go-live').click();
  await expect(host.page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'true');
  const attendee = await enterRoom(browser, attendeeUser, webinarId);
  await expectHostVideo(attendee.page, hostUser.id);
  return { host, attendee, ids: [hostUser.id, attendeeUser.id] };
}

/** After a fault: both live, exact lists, chat once, the host's camera decoded again. */
async function expectRecovered(host: InRoom, attendee: InRoom, ids: string[], chat: string[], opts: { video?: boolean } = {}): Promise<void> {
  await expectLive(host.page, 30_000);
  await expectLive(attendee.page, 30_000);
  for (const p of [host.page, attendee.page]) {
    await expectExactly(p, ids);
    for (const text of chat) await expect.poll(() => chatCount(p, text), { message: `chat "${text}" once` }).toBe(1);
  }
  if (opts.video !== false) await expectHostVideo(attendee.page, host.user.id);
}

test('drops, resets, stalls, network loss and a server restart: back in the room, nothing duplicated', async ({ browser }) => {
  test.setTimeout(150_000);
  const { host, attendee, ids } = await webinarWithHostLive(browser, 'Faults');
  const chat = ['Welcome (before the faults)'];
  await sendChat(host.page, chat[0]!);
  await expect.poll(() => chatCount(attendee.page, chat[0]!)).toBe(1);
  const timings: Record<string, number> = {};
  const timed = async (label: string, fault: () => Promise<void> | void, recovered: () => Promise<void>) => {
    const t0 = performance.now();
    await fault();
    await recovered();
    timings[label] = Math.round(performance.now() - t0);
  };

  // RST of the attendee's connections (HTTP keep-alive and WebSocket).
  await timed(
    'attendee RST → back in room with video',
    () => void attendee.proxy.dropAll(),
    () => expectRecovered(host, attendee, ids, chat),
  );

  // RST of the host's: both back in the room, lists and chat right. (The host's video reaching the
  // attendee again after a host drop is its own test below: a known peer-rebuild race.)
  await timed(
    'host RST → both back in room',
    () => void host.proxy.dropAll(),
    () => expectRecovered(host, attendee, ids, chat, { video: false }),
  );

  // Stall: the attendee's network stops delivering; its WebSocket still looks open. The client's
  // liveness probe must notice; the server's heartbeat reaps its side meanwhile.
  await timed(
    'attendee stall → detected (reconnecting)',
    () => attendee.proxy.stall(),
    () => expect(connection(attendee.page)).toHaveAttribute('data-state', 'reconnecting', { timeout: 30_000 }),
  );
  await expect.poll(() => listedIds(host.page), { timeout: 20_000, message: 'the host sees the stalled attendee leave' }).toEqual([host.user.id]);
  chat.push('Sent while the attendee was away');
  await sendChat(host.page, chat[1]!);
  await timed(
    'stall healed → back in room with video',
    () => attendee.proxy.heal(),
    () => expectRecovered(host, attendee, ids, chat),
  );

  // Network loss on the desktop side: everything reset, new connections refused, for a while.
  attendee.proxy.refuseNew(true);
  attendee.proxy.dropAll();
  await expect(connection(attendee.page)).toHaveAttribute('data-state', 'reconnecting');
  await expect.poll(() => attendee.proxy.counters.refused, { timeout: 20_000, message: 'reconnect attempts while offline' }).toBeGreaterThanOrEqual(2);
  await timed(
    'network back → back in room with video',
    async () => {
      attendee.proxy.refuseNew(false);
      await attendee.app.service.handleNetworkUp(); // as src-main does on the OS "online" event
    },
    () => expectRecovered(host, attendee, ids, chat),
  );

  // The server restarts in the middle of the webinar (same data, a new port behind the proxies).
  await timed(
    'server restart → both back, history intact',
    async () => {
      await server!.close();
      server = await startTestServer({ env: { ...ENV, DATA_DIR: dataDir } });
      for (const p of [host.proxy, attendee.proxy]) p.setTarget(target(server.url));
    },
    () => expectRecovered(host, attendee, ids, chat),
  );
  chat.push('After the restart');
  await sendChat(host.page, chat[2]!);
  for (const p of [host.page, attendee.page]) await expect.poll(() => chatCount(p, chat[2]!)).toBe(1);
  for (const p of [host.page, attendee.page]) {
    const texts = await p.getByTestId('chat-message').allInnerTexts();
    for (const text of chat) expect(texts.filter((t) => t.includes(text)), `"${text}" exactly once`).toHaveLength(1);
  }

  for (const side of [host, attendee]) {
    expect(side.statuses, 'the desktop session is never lost to a blip').not.toContain('signedOut');
    expect(side.app.service.getState().status).toBe('signedIn');
  }
  console.log(`[faults] e2e recovery times (ms) ${JSON.stringify(timings)}`);
  test.info().annotations.push({ type: 'recovery-ms', description: JSON.stringify(timings) });
});

test('100 disconnect/reconnect cycles: no duplicates, no leaked RTCPeerConnections, bounded heap, p50/p95', async () => {
  test.setTimeout(180_000);
  // A browser of its own with gc exposed and precise heap figures: only this test needs them.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  try {
    const { host, attendee, ids } = await webinarWithHostLive(browser, 'Hundred cycles');
    const heap = async (page: Page) =>
      page.evaluate(() => {
        const w = window as unknown as { gc?: () => void; performance: { memory?: { usedJSHeapSize: number } } };
        w.gc?.();
        w.gc?.();
        return { bytes: w.performance.memory?.usedJSHeapSize ?? NaN, gc: typeof w.gc === 'function' };
      });
    const heapBefore = await heap(attendee.page);
    const pcBefore = { attendee: await pcCounts(attendee.page), host: await pcCounts(host.page) };

    const rejoinMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      // Armed in the page before the fault: resolves once we saw the drop and are back in the room
      // with exactly one row per participant (throws on any duplicate row).
      const back = attendee.page.evaluate(
        ({ expected, timeoutMs }) =>
          new Promise<void>((resolve, reject) => {
            let sawDrop = false;
            const started = performance.now();
            const tick = () => {
              const state = document.querySelector('[data-testid="connection-state"]')?.getAttribute('data-state');
              if (state !== 'live') sawDrop = true;
              const rows = [...document.querySelectorAll('[data-testid="participant"]')].map((r) => r.getAttribute('data-participant-id'));
              if (new Set(rows).size !== rows.length) return reject(new Error(`duplicate participant rows: ${rows.join(',')}`));
              if (sawDrop && state === 'live' && rows.length === expected) return resolve();
              if (performance.now() - started > timeoutMs) return reject(new Error(`not back in the room: state ${state}, rows ${rows.join(',')}`));
              setTimeout(tick, 5);
            };
            tick();
          }),
        { expected: ids.length, timeoutMs: 30_000 },
      );
      const t0 = performance.now();
      attendee.proxy.dropAll();
      await back;
      rejoinMs.push(performance.now() - t0);
    }
    await expectRecovered(host, attendee, ids, []);
    // Let peers replaced in the last cycles finish closing before counting.
    await expect.poll(async () => (await pcCounts(attendee.page)).open, { timeout: 20_000, message: 'attendee: open peer connections settle' }).toBeLessThanOrEqual(1);
    await expect.poll(async () => (await pcCounts(host.page)).open, { timeout: 20_000, message: 'host: open peer connections settle' }).toBeLessThanOrEqual(1);
    const pcAfter = { attendee: await pcCounts(attendee.page), host: await pcCounts(host.page) };
    const heapAfter = await heap(attendee.page);

    const sorted = [...rejoinMs].sort((a, b) => a - b);
    const pick = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
    const figures = {
      cycles: rejoinMs.length,
      rejoinMs: { p50: pick(50), p95: pick(95), max: Math.round(sorted.at(-1)!) },
      heapBytes: { before: heapBefore.bytes, after: heapAfter.bytes, growth: heapAfter.bytes - heapBefore.bytes, gcExposed: heapAfter.gc },
      peerConnections: { before: pcBefore, after: pcAfter },
      proxyResets: attendee.proxy.counters.reset,
    };
    console.log(`[faults] 100 cycles ${JSON.stringify(figures)}`);
    test.info().annotations.push({ type: 'cycles', description: JSON.stringify(figures) });

    expect(rejoinMs).toHaveLength(100);
    // Every cycle made the host build a NEW peer for the attendee (the attendee answers only the
    // offers that reach it before the next drop), and every replaced one was closed.
    expect(pcAfter.host.created - pcBefore.host.created).toBeGreaterThanOrEqual(100);
    expect(pcAfter.attendee.created).toBeGreaterThan(pcBefore.attendee.created);
    expect(pcAfter.attendee.created - pcAfter.attendee.closed).toBe(pcAfter.attendee.open);
    expect(pcAfter.host.created - pcAfter.host.closed).toBe(pcAfter.host.open);
    expect(pcAfter.attendee.open).toBeLessThanOrEqual(1);
    expect(pcAfter.host.open).toBeLessThanOrEqual(1);
    expect(heapAfter.gc).toBe(true);
    // Bounded: 100 cycles may not grow the heap by more than 8 MiB after gc (no per-cycle leak).
    expect(heapAfter.bytes - heapBefore.bytes).toBeLessThan(8 * 1024 * 1024);
    expect(attendee.statuses).not.toContain('signedOut');
  } finally {
    // These apps live in this test's own browser: close them here (clean-up only, errors ignored).
    for (const app of apps.splice(0)) await app.close().catch(() => {});
    await browser.close();
  }
});

/**
 * After the HOST's signaling drops, its stale sending peer dies and is rebuilt while the host is
 * still reconnecting, so the new offer cannot be sent. PeerManager marks such a link undelivered
 * and rebuilds it on the host's next welcome; the attendee asks a returning publisher for a fresh
 * peer. This test failed before that fix (the attendee never got the host's media back).
 */
test('host RST: the attendee decodes the host again (publisher peers rebuilt after its reconnect)', async ({ browser }) => {
  test.setTimeout(90_000);
  const { host, attendee, ids } = await webinarWithHostLive(browser, 'Host drop');
  host.proxy.dropAll();
  await expectRecovered(host, attendee, ids, []);
});
