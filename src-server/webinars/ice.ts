/**
 * ICE servers for a joiner: the static list from ICE_SERVERS plus, when TURN_URLS/TURN_SECRET are
 * set, time-limited TURN credentials per the TURN REST convention (coturn `use-auth-secret`):
 * username `${expiryEpochSeconds}:${userId}`, credential base64(HMAC-SHA1(secret, username)).
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../src-shared/signaling-protocol';
import type { IceConfig } from '../config';

export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function iceServersFor(config: IceConfig, userId: string, nowMs: number): IceServer[] {
  const servers = config.servers.map((s) => ({ ...s }));
  if (config.turn) {
    const username = `${Math.floor(nowMs / 1000) + config.turn.ttlS}:${userId}`;
    servers.push({ urls: [...config.turn.urls], username, credential: turnCredential(config.turn.secret, username) });
  }
  return servers;
}
