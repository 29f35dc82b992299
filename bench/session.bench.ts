/**
 * `npm run bench:session`: silent restore at start-up (keychain read + refresh), refresh round
 * trip, and login / refresh throughput, against the real server in its own process and the real
 * keychain. Prints one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createSessionService } from '../src-main/create-session-service';
import { KeytarSecretStore } from '../src-main/session/keytar-secret-store';
import { spawnServer } from './spawn-server';
import { summary } from './stats';

const RESTORES = Number(process.env.BENCH_RESTORES ?? 40);
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 100);
const THROUGHPUT_MS = Number(process.env.BENCH_THROUGHPUT_MS ?? 3000);
const CONCURRENCY = 8;

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Runs `op` from CONCURRENCY loops for `ms`; returns successful operations per second. */
async function throughput(ms: number, op: (worker: number) => Promise<boolean>): Promise<{ perSecond: number; ok: number; failed: number }> {
  const deadline = performance.now() + ms;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (performance.now() < deadline) {
        if (await op(worker)) ok++;
        else failed++;
      }
    }),
  );
  return { perSecond: Math.round((ok / (performance.now() - started)) * 1000 * 10) / 10, ok, failed };
}

async function main() {
  const server = await spawnServer();
  const appId = `webinar-bench-${randomUUID()}`;
  const password = 'bench password 123';
  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  try {
    await post(`${server.url}/api/auth/register`, { email, password, displayName: 'Bench' });
    const first = createSessionService({ appId, deviceName: 'bench', fetch: globalThis.fetch });
    await first.start(server.url);
    const signedIn = await first.signIn(server.url, email, password);
    if (signedIn.status !== 'signedIn') throw new Error(`sign-in failed: ${JSON.stringify(signedIn.problem)}`);

    // Refresh round trip: rotation, keychain write, state update.
    const refresh: number[] = [];
    for (let i = 0; i < REFRESHES; i++) {
      const t0 = performance.now();
      const outcome = await first.refreshNow();
      refresh.push(performance.now() - t0);
      if (outcome !== 'signedIn') throw new Error(`refresh ended in ${outcome}`);
    }
    first.dispose();

    // Silent restore: a new SessionManager on the same keychain, from start() to signedIn.
    const restore: number[] = [];
    for (let i = 0; i < RESTORES; i++) {
      const manager = createSessionService({ appId, deviceName: 'bench', fetch: globalThis.fetch });
      const t0 = performance.now();
      const state = await manager.start(server.url);
      restore.push(performance.now() - t0);
      manager.dispose();
      if (state.status !== 'signedIn') throw new Error(`restore ended in ${state.status}`);
    }

    // Raw HTTP throughput: logins (Argon2id-bound) and refreshes (one token chain per worker).
    const logins = await throughput(THROUGHPUT_MS, async () => (await post(`${server.url}/api/auth/login`, { email, password })).status === 200);
    const chains = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => ((await (await post(`${server.url}/api/auth/login`, { email, password })).json()) as { refreshToken: string }).refreshToken),
    );
    const refreshes = await throughput(THROUGHPUT_MS, async (worker) => {
      const res = await post(`${server.url}/api/auth/refresh`, { refreshToken: chains[worker] });
      if (res.status !== 200) return false;
      chains[worker] = ((await res.json()) as { refreshToken: string }).refreshToken;
      return true;
    });

    const store = new KeytarSecretStore({ service: appId });
    for (const { account } of await store.list()) await store.delete(account);

    console.log(
      JSON.stringify(
        {
          benchmark: 'session',
          machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
          silentRestoreMs: summary(restore),
          refreshRoundTripMs: summary(refresh),
          loginPerSecond: logins.perSecond,
          refreshPerSecond: refreshes.perSecond,
          throughputConcurrency: CONCURRENCY,
          targets: { silentRestoreP95UnderMs: 100, met: summary(restore).p95 < 100 },
        },
        null,
        2,
      ),
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
