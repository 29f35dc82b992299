/**
 * Builds the session service from its real parts (the OS keychain, fetch, the system clock and
 * timers). The Electron composition root and the desktop test harness both call this, so the
 * harness runs the very services the app runs.
 */
import { systemClock } from '../src-shared/clock';
import { KeytarSecretStore } from './session/keytar-secret-store';
import { SessionManager } from './session/session-manager';
import type { FetchLike } from './session/auth-client';

export interface SessionServiceOptions {
  appId: string;
  deviceName: string;
  fetch: FetchLike;
}

export type SessionServiceHandle = SessionManager;

export function createSessionService(options: SessionServiceOptions): SessionServiceHandle {
  return new SessionManager({
    secretStore: new KeytarSecretStore({ service: options.appId }),
    fetch: options.fetch,
    clock: systemClock,
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    appId: options.appId,
    deviceName: options.deviceName,
  });
}
