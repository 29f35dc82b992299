/**
 * The desktop app end to end in Chromium (desktop harness, real server, real keychain):
 * register, sign in, quit, relaunch with a new SessionManager on the same keychain → signed in
 * without typing a password; devices; sign out.
 */
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { KeytarSecretStore } from '../../src-main/session/keytar-secret-store';
import { launchDesktopApp, type DesktopApp } from '../helpers/desktop-harness';
import { startTestServer } from '../helpers/test-server';

const SHOTS = 'test-results/screens';
mkdirSync(SHOTS, { recursive: true });

let server: Awaited<ReturnType<typeof startTestServer>>;
const apps: DesktopApp[] = [];
const appId = `webinar-e2e-${randomUUID()}`;

test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await Promise.all(apps.map((a) => a.close().catch(() => {})));
  const store = new KeytarSecretStore({ service: appId });
  for (const { account } of await store.list().catch(() => [])) await store.delete(account);
  await server.close();
});

async function launch(browser: import('@playwright/test').Browser) {
  const app = await launchDesktopApp({ browser, appId, serverUrl: server.url });
  apps.push(app);
  return app;
}

test('register, sign in, relaunch signed in without a password, sign out', async ({ browser }) => {
  const email = `ada-${randomUUID().slice(0, 8)}@example.com`;
  const first = await launch(browser);
  const page = first.page;

  await expect(page.getByTestId('sign-in-form')).toBeVisible();
  await expect(page.locator('input[name=serverUrl]')).toHaveValue(server.url);
  await page.screenshot({ path: `${SHOTS}/01-sign-in.png` });

  await page.getByRole('button', { name: 'Create an account' }).click();
  const form = page.getByTestId('register-form');
  await form.locator('input[name=displayName]').fill('Ada Lovelace');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill('correct horse battery');
  await page.screenshot({ path: `${SHOTS}/02-register.png` });
  await form.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByTestId('signed-in-user')).toHaveText('Ada Lovelace');
  await expect(page.getByTestId('session-status')).toHaveAttribute('data-status', 'signedIn');
  await expect(page.getByTestId('lobby')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/03-home.png` });
  await page.getByRole('tab', { name: 'Devices' }).click();
  await expect(page.getByTestId('device-row')).toHaveCount(1);
  await expect(page.getByTestId('device-row')).toContainText('this device');
  await page.screenshot({ path: `${SHOTS}/03b-devices.png` });

  // The renderer holds no token: nothing token-like in the page's state or storage.
  const pageState = await page.evaluate(async () => JSON.stringify([await (window as unknown as { webinar: { session: { getState(): Promise<unknown> } } }).webinar.session.getState(), { ...localStorage }, { ...sessionStorage }, document.cookie]));
  expect(pageState).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // a JWT
  expect(pageState).not.toMatch(/refresh/i);

  await first.close();

  // Relaunch: a brand-new SessionManager on the same keychain restores silently.
  const second = await launch(browser);
  await expect(second.page.getByTestId('signed-in-user')).toHaveText('Ada Lovelace');
  await expect(second.page.getByTestId('session-status')).toHaveAttribute('data-status', 'signedIn');
  await expect(second.page.getByTestId('sign-in-form')).toHaveCount(0);
  await second.page.screenshot({ path: `${SHOTS}/04-restored-after-restart.png` });

  await second.page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(second.page.getByTestId('sign-in-form')).toBeVisible();
  await second.page.screenshot({ path: `${SHOTS}/05-signed-out.png` });
  const store = new KeytarSecretStore({ service: appId });
  expect(await store.list()).toEqual([]);
});

test('a wrong password shows a clear error and keeps the user on the sign-in screen', async ({ browser }) => {
  const app = await launch(browser);
  const form = app.page.getByTestId('sign-in-form');
  await form.locator('input[name=email]').fill('nobody@example.com');
  await form.locator('input[name=password]').fill('not the password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(app.page.getByTestId('form-error')).toContainText(/email or password/i);
  await app.page.screenshot({ path: `${SHOTS}/06-sign-in-error.png` });
});

test('the CSP stops an injected inline script', async ({ browser }) => {
  const app = await launch(browser);
  await expect(app.page.getByTestId('sign-in-form')).toBeVisible();
  const ran = await app.page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 50));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
});
