/**
 * The user's device list (the server's sessions for this account) and signing a device out. Both
 * go through the manager's authorized fetch so they share its refresh-on-401 handling.
 */
import { API_PATHS, type DeviceSession, SessionsResponse } from '../../src-shared/http-api';
import type { AuthClient } from './auth-client';
import { operationErrorFrom } from './session-errors';

export interface DeviceCallHost {
  authorizedFetch(path: string, init?: RequestInit): Promise<Response>;
  /** The current client; throws `not_signed_in` without one. */
  requireClient(): AuthClient;
  ownSessionId(): string | null;
  /** Our own device was signed out: the session is over here too. */
  endOwnSession(): Promise<void>;
}

export async function listDevices(host: DeviceCallHost): Promise<DeviceSession[]> {
  const res = await host.authorizedFetch(API_PATHS.sessions);
  const client = host.requireClient();
  if (!res.ok) throw operationErrorFrom(await client.failure(res));
  try {
    return (await client.parse(res, SessionsResponse)).sessions;
  } catch (e) {
    throw operationErrorFrom(e);
  }
}

/** Signs a device out. Revoking our own session signs this app out too. Returns the remaining list. */
export async function revokeDevice(host: DeviceCallHost, id: string): Promise<DeviceSession[]> {
  // Read before the request: a refresh or sign-out while it is in flight can replace the live session.
  const own = host.ownSessionId() === id;
  const res = await host.authorizedFetch(`${API_PATHS.sessions}/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (!res.ok) throw operationErrorFrom(await host.requireClient().failure(res));
  await res.body?.cancel();
  if (own) {
    await host.endOwnSession();
    return [];
  }
  return listDevices(host);
}
