/**
 * Acceptance (issue 2, §3): expiry decisions use server time. A local clock hours off (either way)
 * neither signs the user out nor keeps a dead session, against the real server and keychain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../src-main/session/keytar-secret-store';
import { SkewedClock } from '../../helpers/manual-clock';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { countingFetch, makeManager, registerUser, uniqueAppId, wipeKeychain } from './session-test-kit';

const appId = uniqueAppId('skew');
let server: TestServer;
const HOUR = 3_600_000;
// Access tokens expire on whole seconds, so a 5 s token has 4–5 s left when it is issued: renewal at
// 80 % of what is left comes 3.2–4 s after sign-in, and the next one no sooner than 6.4 s. (With 3 s
// tokens the two fell 1.6–2.4 s apart, and now and then both before a check at 3.5 s.)
const TTL_ENV = { ACCESS_TOKEN_TTL_S: '5' };
/** Checked before the first renewal can come, and after it but before the second can. */
const BEFORE_RENEWAL_MS = 2_500;
const AFTER_ONE_RENEWAL_MS = 5_000;

beforeAll(async () => {
  server = await startTestServer({ env: TTL_ENV });
});
afterAll(async () => {
  await wipeKeychain(new KeytarSecretStore({ service: appId }));
  await server?.close();
});

describe('a skewed local clock', () => {
  it.each([
    ['+3 h', 3 * HOUR],
    ['-3 h', -3 * HOUR],
    ['+25 h', 25 * HOUR],
  ])('%s: refreshes on schedule (server time), stays signed in, restores silently', async (_label, skew) => {
    const creds = await registerUser(server.url);
    const counting = countingFetch();
    const clock = new SkewedClock(skew);
    const { manager, states } = makeManager(appId, { fetch: counting.fetch, clock });
    await manager.signIn(server.url, creds.email, creds.password);
    // A client trusting its own clock would refresh in a loop (+) or never (−).
    await new Promise((r) => setTimeout(r, BEFORE_RENEWAL_MS));
    expect(counting.count('/api/auth/refresh')).toBe(0);
    await new Promise((r) => setTimeout(r, AFTER_ONE_RENEWAL_MS - BEFORE_RENEWAL_MS));
    expect(counting.count('/api/auth/refresh')).toBe(1);
    expect(manager.getState().status).toBe('signedIn');
    expect((await manager.authorizedFetch('/api/me')).status).toBe(200);
    expect(states.some((s) => s.status === 'signedOut')).toBe(false);
    manager.dispose();

    // Restart with the same skew: silent restore, no sign-out.
    const again = makeManager(appId, { clock });
    expect((await again.manager.start(server.url)).status).toBe('signedIn');
    await again.manager.signOut();
  });

  it('a server whose clock is off by hours: the client follows the server, not its own clock', async () => {
    const serverClock = new SkewedClock(-5 * HOUR);
    const skewed = await startTestServer({ clock: serverClock, env: TTL_ENV });
    try {
      const creds = await registerUser(skewed.url);
      const counting = countingFetch();
      const { manager } = makeManager(appId, { fetch: counting.fetch });
      await manager.signIn(skewed.url, creds.email, creds.password);
      await new Promise((r) => setTimeout(r, AFTER_ONE_RENEWAL_MS));
      expect(counting.count('/api/auth/refresh')).toBe(1);
      expect((await manager.authorizedFetch('/api/me')).status).toBe(200);
      expect(manager.getState().status).toBe('signedIn');
      await manager.signOut();
    } finally {
      await skewed.close();
    }
  });
});
