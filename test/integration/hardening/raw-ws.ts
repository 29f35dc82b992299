/**
 * A lean signaling client for high-volume tests: counts `error` codes, keeps every other message,
 * and never validates or stores more than it must (100 000 answers would otherwise dominate the run).
 */
import WebSocket from 'ws';

export class RawWs {
  readonly errors = new Map<string, number>();
  errorTotal = 0;
  /** Non-error messages, parsed. */
  readonly messages: Array<Record<string, unknown> & { type: string }> = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
        this.wake();
      }),
    );
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown> & { type: string };
      if (msg.type === 'error') {
        const code = String(msg.code);
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        this.errorTotal++;
      } else {
        this.messages.push(msg);
      }
      this.wake();
    });
  }

  static open(wsUrl: string, ticket: string): Promise<RawWs> {
    const u = new URL(wsUrl);
    u.searchParams.set('ticket', ticket);
    const ws = new WebSocket(u, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    const c = new RawWs(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `cond()` holds; rejects after `timeoutMs` with `what`. */
  async until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  welcome(): Promise<Record<string, unknown>> {
    return this.until(() => this.messages.some((m) => m.type === 'welcome'), 'welcome', 10_000).then(() => this.messages.find((m) => m.type === 'welcome')!);
  }

  close(code = 1000): Promise<number> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
    return this.closed;
  }
}
