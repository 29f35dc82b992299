/** Fakes for the rtc unit tests (imported only by *.test.ts). */
import type { PeerCallbacks, PeerHandle, PeerOptions } from './peer-manager';

export class FakeTimers {
  now = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  /** Advances time, firing due timers in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
  pending(): number {
    return this.timers.size;
  }
}

export interface FakeStream {
  id: string;
}

export class FakePeer implements PeerHandle {
  received: Record<string, unknown>[] = [];
  destroyed = false;
  constructor(
    readonly options: PeerOptions<FakeStream>,
    readonly callbacks: PeerCallbacks<FakeStream>,
  ) {}
  signal(data: Record<string, unknown>): void {
    this.received.push(data);
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Each renegotiation asked of this peer: stream ids and kinds. */
  renegotiations: { streams: string[]; kinds: Record<string, string> }[] = [];
  setStreams?(streams: FakeStream[], kinds: Record<string, string>): void {
    this.renegotiations.push({ streams: streams.map((s) => s.id), kinds });
  }
}
