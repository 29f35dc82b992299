/**
 * When to renew an access token, and how long to sleep until then.
 *
 * The token's lifetime is judged in *server* time (its expiry is a server timestamp), then mapped to
 * local time with the learned offset, so a wrong local clock neither renews too late nor too often.
 * We never sleep longer than one step (default 30 s) at a time: a timer that was frozen through a
 * suspend wakes up, re-reads the absolute time and notices the deadline has passed, instead of
 * trusting a relative delay computed before the machine slept.
 *
 * Pure: all times are arguments.
 */

export interface AccessLifetime {
  /** Server epoch ms when the token was received (our best view of its issue time). */
  receivedAtServer: number;
  /** Server epoch ms of the token's expiry. */
  expiresAtServer: number;
}

export const DEFAULT_RENEW_FRACTION = 0.8;
export const DEFAULT_MAX_SLEEP_MS = 30_000;
/** A token this close to expiry is treated as expired: it would die in flight. */
export const DEFAULT_EXPIRY_MARGIN_MS = 5_000;

/** Server time at which to renew: `fraction` of the way through the lifetime. */
export function renewalDueAtServer(life: AccessLifetime, fraction = DEFAULT_RENEW_FRACTION): number {
  const span = Math.max(0, life.expiresAtServer - life.receivedAtServer);
  return life.receivedAtServer + span * fraction;
}

/** True if the token should not be sent any more (expired or about to, in server time). */
export function isAccessExpired(life: AccessLifetime, serverNow: number, marginMs = DEFAULT_EXPIRY_MARGIN_MS): boolean {
  // The margin never exceeds a fifth of the lifetime, so very short-lived tokens remain usable.
  const span = Math.max(0, life.expiresAtServer - life.receivedAtServer);
  return serverNow >= life.expiresAtServer - Math.min(marginMs, span / 5);
}

export type WakeDecision = { due: true } | { due: false; delayMs: number };

/**
 * Given the local time now and a deadline in local time, either "it is due" or how long to sleep
 * before checking again (capped at `maxSleepMs`).
 */
export function nextWake(nowLocal: number, dueAtLocal: number, maxSleepMs = DEFAULT_MAX_SLEEP_MS): WakeDecision {
  const remaining = dueAtLocal - nowLocal;
  if (!(remaining > 0)) return { due: true };
  return { due: false, delayMs: Math.max(1, Math.min(Math.ceil(remaining), maxSleepMs)) };
}
