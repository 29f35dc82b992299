/**
 * The reference: PeerJS's own signaling server (npm `peer`) in its own process, on loopback.
 * Forked with IPC by bench/signaling.bench.ts; reports its port, then its RSS on request.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { PeerServer } from 'peer';

const server = PeerServer({ host: '127.0.0.1', port: 0, path: '/bench', key: 'peerjs', concurrent_limit: 100_000, alive_timeout: 600_000 }, (http) => {
  process.send!({ port: (http.address() as AddressInfo).port });
});
server.on('error', () => undefined);

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'rss') {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    process.send!({ rss: Number(kb?.[1] ?? 0) * 1024 });
  }
  if (m.cmd === 'exit') process.exit(0);
});
