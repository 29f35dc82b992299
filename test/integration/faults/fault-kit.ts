/**
 * Shared setup for the fault tests: the app's own SignalClient (src-renderer/rtc/signal-client.ts)
 * run in Node over the `ws` WebSocket, its room folded with the app's own reducer (room-state.ts),
 * tickets from the real HTTP API, and a FaultProxy in between. Also small polling helpers: on a
 * busy 2-core machine nothing here asserts on a fixed sleep.
 */
import WebSocket from 'ws';
import type { IpcResult } from '../../../src-shared/ipc-contract';
import type { JoinResponse, ServerMessage } from '../../../src-shared/signaling-protocol';
import { SignalClient, type SignalClientDeps, type SocketLike } from '../../../src-renderer/rtc/signal-client';
import { EMPTY_ROOM, roomReducer, type RoomState } from '../../../src-renderer/features/room/room-state';
import { joinWebinar, type TestUser } from '../../helpers/webinar-fixtures';

export const FAST_BACKOFF = { baseMs: 100, maxMs: 1_000, factor: 2, minMs: 20 };

/** A SignalClient whose tickets come from `base` (the proxy), folding its room as the app does. */
export class NodeRoomClient {
  readonly client: SignalClient;
  room: RoomState = EMPTY_ROOM;
  readonly received: ServerMessage[] = [];
  welcomes = 0;

  constructor(getTicket: () => Promise<IpcResult<JoinResponse>>, over: Partial<SignalClientDeps> = {}) {
    this.client = new SignalClient({
      getTicket,
      createSocket: (url) => new WebSocket(url, { perMessageDeflate: false }) as unknown as SocketLike,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      random: Math.random,
      backoff: FAST_BACKOFF,
      maxAttempts: 1_000,
      welcomeTimeoutMs: 3_000,
      ...over,
    });
    this.client.on('message', (m) => {
      this.received.push(m);
      if (m.type === 'welcome') this.welcomes += 1;
      this.room = roomReducer(this.room, m);
    });
  }

  static forUser(base: () => string, user: TestUser, webinarId: string, over: Partial<SignalClientDeps> = {}): NodeRoomClient {
    return new NodeRoomClient(async () => {
      try {
        return { ok: true, value: await joinWebinar(base(), user, webinarId) };
      } catch (err) {
        return { ok: false, error: { code: 'server_unreachable', message: err instanceof Error ? err.message : String(err) } };
      }
    }, over);
  }

  get status(): string {
    return this.client.state.status;
  }

  participantIds(): string[] {
    return this.room.participants.map((p) => p.id);
  }

  chatIds(): string[] {
    return this.room.chat.map((c) => c.id);
  }
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function duplicates(ids: readonly string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(samples: readonly number[]): { n: number; p50: number; p95: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: Math.round(percentile(s, 50)), p95: Math.round(percentile(s, 95)), max: Math.round(s.at(-1) ?? NaN) };
}
