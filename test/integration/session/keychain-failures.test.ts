/**
 * Acceptance (issue 2, §5): no Secret Service → the error state. keytar genuinely fails here: the
 * SessionManager runs in a child process with D-Bus pointed at a socket that does not exist (and no
 * X11 $DISPLAY to autolaunch one), or on a D-Bus whose keyring is locked. No mocks.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { rawLogin, registerUser, uniqueAppId } from './session-test-kit';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'fixtures', 'keychain-child.ts');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface ChildReport {
  afterStart: { status: string; problem: { code: string; message: string } | null };
  signInError: { code: string; message: string } | null;
  afterSignIn: { status: string; user: unknown; problem: { code: string; message: string } | null };
  apiError: string | null;
}

async function runChild(env: Record<string, string>, wrap: string[] = []): Promise<ChildReport> {
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'DISPLAY' && k !== 'DBUS_SESSION_BUS_ADDRESS') baseEnv[k] = v;
  const cmd = [...wrap, process.execPath, '--import', 'tsx', CHILD];
  const { stdout } = await run(cmd[0]!, cmd.slice(1), { cwd: ROOT, env: { ...baseEnv, ...env }, timeout: 30_000 });
  const line = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as ChildReport;
}

async function activeSessions(email: string, password: string): Promise<number> {
  const other = await rawLogin(server.url, email, password);
  const res = await fetch(`${server.url}/api/sessions`, { headers: { authorization: `Bearer ${other.accessToken}` } });
  const body = (await res.json()) as { sessions: unknown[] };
  return body.sessions.length - 1; // minus the one we just made to look
}

describe('keychain failures are explicit, actionable error states', () => {
  it('no Secret Service (D-Bus unreachable): start and sign-in end in `error`, no session kept', async () => {
    const creds = await registerUser(server.url);
    const report = await runChild({
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/webinar-test-bus',
      SERVER_URL: server.url,
      EMAIL: creds.email,
      PASSWORD: creds.password,
      APP_ID: uniqueAppId('nokeychain'),
    });
    expect(report.afterStart).toMatchObject({ status: 'error', problem: { code: 'keychain_unavailable' } });
    expect(report.afterStart.problem!.message).toMatch(/Secret Service.*gnome-keyring or KWallet/);
    expect(report.signInError).toMatchObject({ code: 'keychain_unavailable' });
    expect(report.afterSignIn).toMatchObject({ status: 'error', user: null, problem: { code: 'keychain_unavailable' } });
    // API calls refuse, naming the keychain as the reason: there is no session to use.
    expect(report.apiError).toBe('keychain_unavailable');
    // The server session created by the login was revoked: nothing lingers silently.
    await new Promise((r) => setTimeout(r, 300));
    expect(await activeSessions(creds.email, creds.password)).toBe(0);
  });

  it('no D-Bus at all and no $DISPLAY ("Cannot autolaunch D-Bus"): the same error state', async () => {
    const creds = await registerUser(server.url);
    const report = await runChild({ SERVER_URL: server.url, EMAIL: creds.email, PASSWORD: creds.password, APP_ID: uniqueAppId('nodbus') });
    expect(report.afterStart).toMatchObject({ status: 'error', problem: { code: 'keychain_unavailable' } });
    expect(report.signInError).toMatchObject({ code: 'keychain_unavailable' });
    expect(report.afterSignIn.status).toBe('error');
  });

  it('a locked keyring: sign-in fails with keychain_locked and an unlock hint', async () => {
    const creds = await registerUser(server.url);
    // A private D-Bus with gnome-keyring started but never unlocked: writes are refused.
    const report = await runChild(
      { SERVER_URL: server.url, EMAIL: creds.email, PASSWORD: creds.password, APP_ID: uniqueAppId('locked') },
      ['dbus-run-session', '--', 'sh', '-c', 'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$@"', 'sh'],
    );
    expect(report.signInError).toMatchObject({ code: 'keychain_locked' });
    expect(report.signInError!.message).toMatch(/locked.*unlock/i);
    expect(report.afterSignIn).toMatchObject({ status: 'error', user: null, problem: { code: 'keychain_locked' } });
  });
});
