/**
 * The attendees, in their own process so 2 000 sockets' worth of parsing does not share an event loop
 * with the sender or the server. Driven over IPC by bench/signaling.bench.ts:
 *
 *   {cmd:'ours', base, webinarId, tokens[], concurrency}  → join over HTTP + WebSocket + welcome each
 *   {cmd:'peer', wsBase, ids[], concurrency}              → open a PeerJS socket each (wait for OPEN)
 *   {cmd:'collect'}                                       → latencies (ms) of every delivery so far
 *   {cmd:'close'}                                         → close every socket
 *
 * Latency = receive time − send time, both `process.hrtime` (CLOCK_MONOTONIC: one clock for every
 * process on this machine). The send time travels in the message itself.
 */
import WebSocket from 'ws';

const now = () => Number(process.hrtime.bigint()) / 1e6;
let sockets: WebSocket[] = [];
let latencies: number[] = [];
let chatSeen = 0;
let otherMessages = 0;

async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

function open(url: string, onMessage: (data: string) => void, ready: (data: string) => boolean, headers?: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers });
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('connect timeout')); }, 30_000);
    let isReady = false;
    ws.on('message', (d) => {
      const s = String(d);
      if (!isReady && ready(s)) {
        isReady = true;
        clearTimeout(timer);
        resolve(ws);
        return;
      }
      onMessage(s);
    });
    ws.once('unexpected-response', (_q, res) => { clearTimeout(timer); reject(new Error(`refused ${res.statusCode}`)); });
    ws.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

function onOurs(s: string): void {
  // chat.message text is `bench:<seq>:<sendMs>`; everything else (joins of others) is counted only.
  const i = s.indexOf('"text":"bench:');
  if (i < 0) { otherMessages++; return; }
  const t = now();
  const m = JSON.parse(s) as { text: string };
  latencies.push(t - Number(m.text.split(':')[2]));
  chatSeen++;
}

function onPeer(s: string): void {
  const t = now();
  const m = JSON.parse(s) as { type: string; payload?: { t?: number } };
  if (m.type === 'OFFER' && typeof m.payload?.t === 'number') { latencies.push(t - m.payload.t); chatSeen++; }
  else otherMessages++;
}

process.on('message', async (msg: Record<string, unknown>) => {
  try {
    if (msg.cmd === 'ours') {
      const { base, webinarId, tokens, concurrency } = msg as { base: string; webinarId: string; tokens: string[]; concurrency: number };
      const t0 = now();
      const joinMs: number[] = [];
      let failures = 0;
      const errors: string[] = [];
      await pool(tokens, concurrency, async (token) => {
        const s = now();
        try {
          const r = await fetch(`${base}/api/webinars/${webinarId}/join`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
          if (r.status !== 200) throw new Error(`join ${r.status}`);
          const j = (await r.json()) as { ticket: string; wsUrl: string };
          sockets.push(await open(`${j.wsUrl}?ticket=${encodeURIComponent(j.ticket)}`, onOurs, (d) => d.startsWith('{"type":"welcome"')));
          joinMs.push(now() - s);
        } catch (e) {
          failures++;
          if (errors.length < 5) errors.push(String(e));
        }
      });
      process.send!({ joined: sockets.length, failures, errors, ms: now() - t0, joinMs });
    } else if (msg.cmd === 'peer') {
      const { wsBase, ids, concurrency } = msg as { wsBase: string; ids: string[]; concurrency: number };
      const t0 = now();
      let failures = 0;
      const errors: string[] = [];
      await pool(ids, concurrency, async (id) => {
        try {
          sockets.push(await open(`${wsBase}?key=peerjs&id=${id}&token=t${id}`, onPeer, (d) => d.includes('"OPEN"')));
        } catch (e) {
          failures++;
          if (errors.length < 5) errors.push(String(e));
        }
      });
      process.send!({ joined: sockets.length, failures, errors, ms: now() - t0 });
    } else if (msg.cmd === 'collect') {
      process.send!({ latencies, chatSeen, otherMessages });
      latencies = [];
      chatSeen = 0;
      otherMessages = 0;
    } else if (msg.cmd === 'close') {
      for (const s of sockets) s.terminate();
      sockets = [];
      process.send!({ closed: true });
    } else if (msg.cmd === 'exit') {
      process.exit(0);
    }
  } catch (e) {
    process.send!({ error: String(e) });
  }
});
process.send!({ ready: true });
