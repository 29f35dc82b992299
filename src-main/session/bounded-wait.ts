import type { SessionTimers } from './session-manager-options';

/** Waits for `p` at most `ms` (injected timers, so tests control it); never rejects. */
export function within(timers: SessionTimers, p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = timers.setTimeout(resolve, ms);
    void p.catch(() => {}).finally(() => {
      timers.clearTimeout(t);
      resolve();
    });
  });
}
