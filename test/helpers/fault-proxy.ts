/**
 * A userspace TCP fault proxy on 127.0.0.1 (tc netem is not available on these machines): put it
 * between the app and the server, then inject faults while connections are open.
 *
 *   const proxy = new FaultProxy({ host: '127.0.0.1', port: serverPort });
 *   await proxy.start();                 // proxy.url → give this to the client instead of the server
 *   proxy.dropAll();                     // RST every open connection (both sides)
 *   proxy.stall();                       // stop forwarding, keep every socket open (packets vanish)
 *   proxy.halfOpen();                    // the server side vanished without a FIN; client kept open
 *   proxy.setDelay(200);                 // one-way latency added to every chunk, each direction
 *   proxy.refuseNew(true);               // new connections are reset at once (network down)
 *   proxy.heal();                        // forward again (stalled sockets resume, buffered data flows)
 *   await proxy.stop(); await proxy.start();   // same port: listening goes away and comes back
 *   proxy.setTarget({ host, port });     // a restarted server on another port
 *   proxy.counters                       // accepted, refused, reset, active, bytes each way
 *
 * A stall pauses reading on both sockets, so data waits in kernel buffers as it would in a network
 * that stopped delivering; heal() resumes them and what was sent arrives, in order (TCP retransmits).
 * A stalled connection whose server side closed meanwhile is reset on heal(), as the server's host
 * would answer the client's next segment with an RST.
 */
import net from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface FaultCounters {
  /** Connections accepted and forwarded (or stalled). */
  accepted: number;
  /** Connections reset at accept time (refuseNew). */
  refused: number;
  /** Connections reset by dropAll() (or reset on heal() after their server side vanished). */
  reset: number;
  /** Connections currently open on the client side. */
  active: number;
  bytesToServer: number;
  bytesToClient: number;
}

type LinkState = 'flowing' | 'stalled' | 'halfOpen';

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  state: LinkState;
  upstreamGone: boolean;
  /** Pending delayed writes per direction, in order. */
  queue: { toServer: Buffer[]; toClient: Buffer[] };
}

export class FaultProxy {
  private server: net.Server | null = null;
  private readonly links = new Set<Link>();
  private mode: 'forward' | 'stall' | 'halfOpen' = 'forward';
  private refusing = false;
  private delayMs = 0;
  port = 0;
  readonly counters: FaultCounters = { accepted: 0, refused: 0, reset: 0, active: 0, bytesToServer: 0, bytesToClient: 0 };

  constructor(private target: ProxyTarget) {}

  /** http://127.0.0.1:<port>: what the client uses as its server URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setTarget(target: ProxyTarget): void {
    this.target = target;
  }

  /** Listens (on the same port as before, after a stop). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = net.createServer({ noDelay: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening (new connections are refused by the OS) and resets every open connection. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.dropAll();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Resets (RST) every open connection, both the client and the server side. */
  dropAll(): number {
    const n = this.links.size;
    for (const link of [...this.links]) this.reset(link);
    return n;
  }

  /** Stops forwarding on every open connection and on new ones; sockets stay open. */
  stall(): void {
    this.mode = 'stall';
    for (const link of this.links) this.setLinkState(link, 'stalled');
  }

  /**
   * Half-open: the server side of every connection vanishes silently (as if its host lost power);
   * the client side stays open and everything it sends is swallowed, with no FIN or RST ever.
   * New connections are accepted and swallowed too, until heal().
   */
  halfOpen(): void {
    this.mode = 'halfOpen';
    for (const link of this.links) this.setLinkState(link, 'halfOpen');
  }

  /** Back to forwarding: stalled connections resume (reset if their server side is gone). */
  heal(): void {
    this.mode = 'forward';
    this.refusing = false;
    for (const link of [...this.links]) {
      if (link.state === 'halfOpen' || link.upstreamGone) this.reset(link);
      else this.setLinkState(link, 'flowing');
    }
  }

  /** true: new connections are reset as soon as they are accepted (a network that is down). */
  refuseNew(on: boolean): void {
    this.refusing = on;
  }

  /** One-way latency added to each chunk, both directions (0: none). */
  setDelay(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  get activeConnections(): number {
    return this.links.size;
  }

  private accept(client: net.Socket): void {
    client.on('error', () => {});
    if (this.refusing) {
      this.counters.refused += 1;
      client.resetAndDestroy();
      return;
    }
    this.counters.accepted += 1;
    const upstream = net.connect({ host: this.target.host, port: this.target.port, noDelay: true });
    upstream.on('error', () => {});
    const link: Link = { client, upstream, state: 'flowing', upstreamGone: false, queue: { toServer: [], toClient: [] } };
    this.links.add(link);
    this.counters.active = this.links.size;

    client.on('data', (chunk: Buffer) => {
      if (link.state === 'halfOpen') return; // swallowed
      this.counters.bytesToServer += chunk.length;
      this.forward(link, 'toServer', chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (link.state === 'halfOpen') return;
      this.counters.bytesToClient += chunk.length;
      this.forward(link, 'toClient', chunk);
    });
    // A clean end travels through (unless stalled: then nothing travels until heal()).
    client.on('end', () => {
      if (link.state === 'flowing') upstream.end();
    });
    upstream.on('end', () => {
      link.upstreamGone = true;
      if (link.state === 'flowing') this.whenFlushed(link, 'toClient', () => client.end());
    });
    upstream.on('close', (hadError) => {
      link.upstreamGone = true;
      if (link.state !== 'flowing') return; // the client must not learn of it (stall / half-open)
      if (hadError) this.reset(link);
      else this.whenFlushed(link, 'toClient', () => client.end());
    });
    client.on('close', () => {
      this.links.delete(link);
      this.counters.active = this.links.size;
      if (!upstream.destroyed) upstream.destroy();
    });
    if (this.mode === 'stall') this.setLinkState(link, 'stalled');
    else if (this.mode === 'halfOpen') this.setLinkState(link, 'halfOpen');
  }

  private setLinkState(link: Link, state: LinkState): void {
    link.state = state;
    if (state === 'stalled') {
      link.client.pause();
      link.upstream.pause();
    } else if (state === 'halfOpen') {
      link.client.resume(); // keep draining what the client sends, into nothing
      link.upstreamGone = true;
      link.upstream.destroy();
    } else {
      link.client.resume();
      link.upstream.resume();
      if (link.upstreamGone && link.upstream.readableEnded) this.whenFlushed(link, 'toClient', () => link.client.end());
    }
  }

  private forward(link: Link, dir: 'toServer' | 'toClient', chunk: Buffer): void {
    const to = dir === 'toServer' ? link.upstream : link.client;
    if (this.delayMs === 0 && link.queue[dir].length === 0) {
      if (!to.destroyed) to.write(chunk);
      return;
    }
    const q = link.queue[dir];
    q.push(chunk);
    setTimeout(() => {
      const next = q.shift();
      if (next && !to.destroyed) to.write(next);
    }, this.delayMs).unref();
  }

  private whenFlushed(link: Link, dir: 'toServer' | 'toClient', fn: () => void): void {
    const tick = () => (link.queue[dir].length === 0 ? fn() : setTimeout(tick, 5).unref());
    tick();
  }

  private reset(link: Link): void {
    if (this.links.delete(link)) this.counters.reset += 1;
    this.counters.active = this.links.size;
    if (!link.client.destroyed) link.client.resetAndDestroy();
    if (!link.upstream.destroyed) link.upstream.resetAndDestroy();
  }
}
