/**
 * `npm run bench:signaling`: one webinar, ≥ 2 000 attendees as real WebSocket clients with real
 * tickets (each a distinct registered user), against our server in its own process; then the same
 * load through PeerJS's server (npm `peer`) as a reference. Prints ONE JSON object.
 *
 * Processes (2 cores here): the server under test; the attendees (bench/signaling/receivers.ts, so
 * 2 000 sockets of parsing do not distort the sender); this orchestrator, which is the host and sends
 * chat at 10 msg/s. Latency = receive time at each attendee − the host's send time, both from
 * CLOCK_MONOTONIC (process.hrtime), p50/p99 over every delivery.
 *
 * PeerJS has no broadcast: a PeerJS app sends one relay message per receiver, so for each chat the
 * host sends N `{type:'OFFER', dst, payload}` frames, all stamped with the same send time.
 *
 * Env: BENCH_ATTENDEES (default 2000), BENCH_CHAT_SECONDS (default 12), BENCH_JOIN_CONCURRENCY (50).
 * Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { connectWelcomed } from '../test/helpers/signaling-client';
import { createWebinar, joinWebinar, newUser, type TestUser } from '../test/helpers/webinar-fixtures';
import { spawnServer } from './spawn-server';
import { percentile } from './stats';

const N = Number(process.env.BENCH_ATTENDEES ?? 2000);
const CHAT_SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 12);
const RATE = 10;
const JOIN_CONCURRENCY = Number(process.env.BENCH_JOIN_CONCURRENCY ?? 50);
const SETUP_CONCURRENCY = 8;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const log = (...a: unknown[]) => console.error('[bench:signaling]', ...a);

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb?.[1] ?? 0) * 1024;
}

/** A forked helper with a request/response over IPC (one outstanding request at a time). */
function helper(file: string): { child: ChildProcess; ask<T>(msg: object, timeoutMs?: number): Promise<T>; ready: Promise<unknown> } {
  const child = fork(path.join(__dirname, 'signaling', file), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: ((m: unknown) => void) | null = null;
  const ready = new Promise((resolve) => (waiting = resolve));
  child.on('message', (m) => {
    const w = waiting;
    waiting = null;
    w?.(m);
  });
  return {
    child,
    ready,
    ask<T>(msg: object, timeoutMs = 300_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${file}: no answer to ${JSON.stringify(msg).slice(0, 60)}`)), timeoutMs);
        waiting = (m) => {
          clearTimeout(t);
          const r = m as { error?: string };
          if (r.error) reject(new Error(r.error));
          else resolve(m as T);
        };
        child.send(msg);
      });
    },
  };
}

async function pool<T, R>(items: T[], concurrency: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** Send `count` chats at RATE/s on a drift-free schedule; `send(seq, t)` stamps each with t. */
async function chatAt(count: number, send: (seq: number, t: number) => void): Promise<void> {
  const start = now() + 50;
  for (let k = 0; k < count; k++) {
    const due = start + (k * 1000) / RATE;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    send(k, now());
  }
}

interface Latency {
  latencies: number[];
  chatSeen: number;
  otherMessages: number;
}

/** Wait until every expected delivery arrived (or 10 s), then collect the latencies. */
async function collect(receivers: ReturnType<typeof helper>, expected: number): Promise<Latency & { complete: boolean }> {
  const all: number[] = [];
  let seen = 0;
  let other = 0;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await receivers.ask<Latency>({ cmd: 'collect' });
    for (const x of r.latencies) all.push(x);
    seen += r.chatSeen;
    other += r.otherMessages;
    if (seen >= expected || Date.now() > deadline) break;
    await sleep(250);
  }
  return { latencies: all, chatSeen: seen, otherMessages: other, complete: seen >= expected };
}

/** Poll until the attendees received nothing for 1.5 s (bounded: 180 s). */
async function quiesce(receivers: ReturnType<typeof helper>): Promise<{ ms: number; messages: number }> {
  const t0 = now();
  let quiet = 0;
  let messages = 0;
  while (quiet < 3 && now() - t0 < 180_000) {
    await sleep(500);
    const r = await receivers.ask<Latency>({ cmd: 'collect' });
    messages += r.otherMessages + r.chatSeen;
    quiet = r.otherMessages + r.chatSeen === 0 ? quiet + 1 : 0;
  }
  return { ms: now() - t0, messages };
}

function latencySummary(l: number[]) {
  // No spread: hundreds of thousands of samples would overflow the stack.
  const max = l.reduce((a, b) => (b > a ? b : a), -Infinity);
  return { deliveries: l.length, p50Ms: round(percentile(l, 50)), p90Ms: round(percentile(l, 90)), p99Ms: round(percentile(l, 99)), maxMs: round(max) };
}

async function ours(receivers: ReturnType<typeof helper>) {
  const server = await spawnServer({ LOGIN_RATE_ACCOUNT_MAX: '1000000', LOGIN_RATE_ADDRESS_MAX: '1000000' });
  const pid = server.process.pid!;
  try {
    // ---- setup: N distinct users (Argon2 register + login each), timed apart from the load ----
    const s0 = now();
    const host = await newUser(server.url, 'Host');
    const users = await pool(Array.from({ length: N }, (_, i) => i), SETUP_CONCURRENCY, (i) => newUser(server.url, `Attendee ${i}`));
    const setupMs = now() - s0;
    log(`setup: ${N} users registered + logged in in ${round(setupMs / 1000, 1)} s`);
    const w = await createWebinar(server.url, host, 'Load');
    const hostJoin = await joinWebinar(server.url, host, w.id);
    const { client: hostWs } = await connectWelcomed(hostJoin.wsUrl, hostJoin.ticket);
    await sleep(1000);
    const rssBefore = rssOf(pid);

    // ---- ramp ----
    const ramp = await receivers.ask<{ joined: number; failures: number; errors: string[]; ms: number; joinMs: number[] }>({
      cmd: 'ours',
      base: server.url,
      webinarId: w.id,
      tokens: users.map((u: TestUser) => u.accessToken),
      concurrency: JOIN_CONCURRENCY,
    });
    log(`ramp: ${ramp.joined} joined (${ramp.failures} failed) in ${round(ramp.ms / 1000, 1)} s`, ramp.errors);
    // Every join is broadcast to everyone already in: wait until that backlog (~N²/2 messages) has
    // been delivered and read, or the chat would queue behind it in the same TCP streams.
    const settle = await quiesce(receivers);
    log(`settled in ${round(settle.ms / 1000, 1)} s (${settle.messages} join broadcasts drained)`);
    const rssAfter = rssOf(pid);

    // ---- chat at 10 msg/s ----
    const count = CHAT_SECONDS * RATE;
    await chatAt(count, (seq, t) => hostWs.send({ type: 'chat.send', text: `bench:${seq}:${t}` }));
    const lat = await collect(receivers, count * ramp.joined);
    const rssChat = rssOf(pid);
    await receivers.ask({ cmd: 'close' });
    await hostWs.close();
    return {
      attendees: ramp.joined,
      joinFailures: ramp.failures,
      setup: { users: N, seconds: round(setupMs / 1000, 1), usersPerS: round(N / (setupMs / 1000), 1), note: 'register + login per user (two Argon2id hashes), 8 concurrent' },
      join: {
        settleSeconds: round(settle.ms / 1000, 1),
        seconds: round(ramp.ms / 1000, 2),
        joinsPerS: round(ramp.joined / (ramp.ms / 1000), 1),
        perJoinP50Ms: round(percentile(ramp.joinMs, 50)),
        perJoinP99Ms: round(percentile(ramp.joinMs, 99)),
        concurrency: JOIN_CONCURRENCY,
        note: 'HTTP join (ticket) + WebSocket upgrade + welcome, each attendee a distinct user',
      },
      memory: {
        serverRssBeforeMB: round(rssBefore / 2 ** 20, 1),
        serverRssAfterRampMB: round(rssAfter / 2 ** 20, 1),
        serverRssAfterChatMB: round(rssChat / 2 ** 20, 1),
        perConnectionKB: round((rssAfter - rssBefore) / ramp.joined / 1024, 1),
      },
      chat: { messages: count, ratePerS: RATE, expectedDeliveries: count * ramp.joined, complete: lat.complete, ...latencySummary(lat.latencies) },
    };
  } finally {
    await server.stop();
  }
}

async function peerjs(receivers: ReturnType<typeof helper>) {
  const peer = helper('peer-server.ts');
  try {
    const { port } = (await peer.ready) as { port: number };
    const pid = peer.child.pid!;
    const wsBase = `ws://127.0.0.1:${port}/bench/peerjs`;
    const host = new WebSocket(`${wsBase}?key=peerjs&id=host&token=thost`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      host.once('message', () => resolve());
      host.once('error', reject);
    });
    await sleep(1000);
    const rssBefore = rssOf(pid);
    const ids = Array.from({ length: N }, (_, i) => `a${i}`);
    const ramp = await receivers.ask<{ joined: number; failures: number; errors: string[]; ms: number }>({ cmd: 'peer', wsBase, ids, concurrency: JOIN_CONCURRENCY });
    log(`peerjs ramp: ${ramp.joined} connected (${ramp.failures} failed) in ${round(ramp.ms / 1000, 1)} s`, ramp.errors);
    await quiesce(receivers);
    const rssAfter = rssOf(pid);
    const count = CHAT_SECONDS * RATE;
    await chatAt(count, (seq, t) => {
      // One relay per receiver: what a PeerJS app does to reach everyone.
      for (const dst of ids) host.send(JSON.stringify({ type: 'OFFER', dst, payload: { seq, t } }));
    });
    const lat = await collect(receivers, count * ramp.joined);
    await receivers.ask({ cmd: 'close' });
    host.terminate();
    return {
      attendees: ramp.joined,
      joinFailures: ramp.failures,
      join: { seconds: round(ramp.ms / 1000, 2), joinsPerS: round(ramp.joined / (ramp.ms / 1000), 1), note: 'WebSocket open + OPEN (no auth, no ticket, no state)' },
      memory: { serverRssBeforeMB: round(rssBefore / 2 ** 20, 1), serverRssAfterRampMB: round(rssAfter / 2 ** 20, 1), perConnectionKB: round((rssAfter - rssBefore) / ramp.joined / 1024, 1) },
      chat: { messages: count, ratePerS: RATE, relaysPerMessage: N, expectedDeliveries: count * ramp.joined, complete: lat.complete, ...latencySummary(lat.latencies) },
    };
  } finally {
    peer.child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const receivers = helper('receivers.ts');
  await receivers.ready;
  try {
    const o = await ours(receivers);
    const p = await peerjs(receivers);
    const ratio = (a: number, b: number) => round(a / b, 2);
    console.log(
      JSON.stringify(
        {
          bench: 'signaling',
          machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version },
          method: 'server, attendees (receivers.ts) and host/sender (this process) in three processes on 127.0.0.1; latency = attendee receive − host send, CLOCK_MONOTONIC',
          target: { attendees: 2000, fanOutP99Ms: 100, met: o.attendees >= 2000 && o.chat.complete && o.chat.p99Ms < 100 },
          ours: o,
          peerjs: p,
          ratio_ours_over_peerjs: {
            fanOutP50: ratio(o.chat.p50Ms, p.chat.p50Ms),
            fanOutP99: ratio(o.chat.p99Ms, p.chat.p99Ms),
            joinsPerS: ratio(o.join.joinsPerS, p.join.joinsPerS),
            memoryPerConnection: ratio(o.memory.perConnectionKB, p.memory.perConnectionKB),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    receivers.child.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
