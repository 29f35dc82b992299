/**
 * The fault proxy itself (test/helpers/fault-proxy.ts), against a loopback echo server: it
 * forwards; dropAll resets both sides; stall keeps sockets open and delivers nothing until heal;
 * half-open swallows and never closes the client; refuseNew resets new connections; delay adds
 * latency; the port survives stop/start; counters count.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy';
import { until } from './fault-kit';

let echo: net.Server;
let echoPort = 0;
const echoSockets = new Set<net.Socket>();

beforeAll(async () => {
  echo = net.createServer((s) => {
    echoSockets.add(s);
    s.on('close', () => echoSockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const s of echoSockets) s.destroy();
  await new Promise<void>((r) => echo.close(() => r()));
});

interface Probe {
  socket: net.Socket;
  data: string;
  closed: boolean;
  error: string | null;
}

async function dial(port: number): Promise<Probe> {
  const socket = net.connect(port, '127.0.0.1');
  const p: Probe = { socket, data: '', closed: false, error: null };
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (p.data += d));
  socket.on('error', (e: NodeJS.ErrnoException) => (p.error = e.code ?? e.message));
  socket.on('close', () => (p.closed = true));
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return p;
}

describe('FaultProxy', () => {
  it('forwards, then dropAll resets the connection (ECONNRESET on the client)', async () => {
    const proxy = new FaultProxy({ host: '127.0.0.1', port: echoPort });
    await proxy.start();
    const c = await dial(proxy.port);
    c.socket.write('hello');
    await until('echo', () => c.data === 'hello');
    expect(proxy.counters).toMatchObject({ accepted: 1, active: 1 });
    expect(proxy.dropAll()).toBe(1);
    await until('client closed', () => c.closed);
    expect(c.error).toBe('ECONNRESET');
    expect(proxy.counters.reset).toBe(1);
    await until('no active connection', () => proxy.counters.active === 0);
    await proxy.stop();
  });

  it('stall: nothing flows, the socket stays open; heal delivers what was sent, in order', async () => {
    const proxy = new FaultProxy({ host: '127.0.0.1', port: echoPort });
    await proxy.start();
    const c = await dial(proxy.port);
    c.socket.write('a');
    await until('echo a', () => c.data === 'a');
    proxy.stall();
    c.socket.write('b');
    c.socket.write('c');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.data).toBe('a');
    expect(c.closed).toBe(false);
    proxy.heal();
    await until('echo bc', () => c.data === 'abc');
    c.socket.destroy();
    await proxy.stop();
  });

  it('half-open: the client is never closed and never answered; heal resets it', async () => {
    const proxy = new FaultProxy({ host: '127.0.0.1', port: echoPort });
    await proxy.start();
    const c = await dial(proxy.port);
    proxy.halfOpen();
    c.socket.write('lost');
    const fresh = await dial(proxy.port); // new connections are swallowed too
    fresh.socket.write('also lost');
    await new Promise((r) => setTimeout(r, 200));
    expect([c.data, c.closed, fresh.data, fresh.closed]).toEqual(['', false, '', false]);
    proxy.heal();
    await until('reset on heal', () => c.closed && fresh.closed);
    const again = await dial(proxy.port);
    again.socket.write('ok');
    await until('forwarding again', () => again.data === 'ok');
    again.socket.destroy();
    await proxy.stop();
  });

  it('refuseNew resets new connections; stop/start keeps the port; delay adds latency', async () => {
    const proxy = new FaultProxy({ host: '127.0.0.1', port: echoPort });
    await proxy.start();
    const port = proxy.port;
    proxy.refuseNew(true);
    const refused = await dial(port);
    await until('refused', () => refused.closed);
    expect(proxy.counters.refused).toBe(1);
    proxy.refuseNew(false);
    await proxy.stop();
    const down = await dial(port);
    await until('connection refused by the OS', () => down.closed);
    expect(down.error).toBe('ECONNREFUSED');
    await proxy.start();
    expect(proxy.port).toBe(port);
    proxy.setDelay(150);
    const c = await dial(port);
    const t0 = performance.now();
    c.socket.write('x');
    await until('delayed echo', () => c.data === 'x');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290); // 150 ms each way
    expect(proxy.counters.bytesToServer).toBeGreaterThanOrEqual(1);
    expect(proxy.counters.bytesToClient).toBeGreaterThanOrEqual(1);
    c.socket.destroy();
    await proxy.stop();
  });
});
