/**
 * The state subscribers see, and the only way to change it. Every change goes through the state
 * machine's transition check, and no-op updates are swallowed so the UI is not re-rendered (nor the
 * log filled) by refreshes that change nothing visible.
 */
import { assertTransition } from '../../src-shared/session/session-machine';
import type { SessionState, SessionStatus } from '../../src-shared/session/session-state';
import type { SessionLogger } from './session-manager-options';

export type SessionListener = (state: SessionState) => void;

export class SessionStateStore {
  private state: SessionState = { status: 'signedOut', serverUrl: '', user: null, sessionId: null, problem: null, nextRetryAt: null };
  private readonly listeners = new Set<SessionListener>();

  constructor(private readonly logger: SessionLogger) {}

  /** The live state, for reading only; hand out `snapshot()` to anyone outside. */
  get current(): Readonly<SessionState> {
    return this.state;
  }

  snapshot(): SessionState {
    return { ...this.state };
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  set(next: Partial<SessionState> & { status: SessionStatus }): void {
    assertTransition(this.state.status, next.status);
    const merged: SessionState = { ...this.state, ...next };
    const k = Object.keys(merged) as (keyof SessionState)[];
    if (k.every((key) => JSON.stringify(merged[key]) === JSON.stringify(this.state[key]))) return;
    this.state = merged;
    this.logger.info('session: state', { status: merged.status, problem: merged.problem?.code ?? null });
    // A copy per listener, so one listener mutating its argument cannot affect the next.
    for (const l of [...this.listeners]) {
      try {
        l(this.snapshot());
      } catch (e) {
        this.logger.warn('session: listener threw', { error: String(e) });
      }
    }
  }
}
