/**
 * Access JWTs: short-lived, signed with the server's Ed25519 key. Verification pins the algorithm,
 * issuer and audience, and takes "now" from the injected clock so tests can move time.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../src-shared/clock';
import { ACCESS_TOKEN_ALG, type SigningKey } from './signing-key';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  expiresAtMs: number;
}

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  ttlS: number;
}

/** Small tolerance: the server verifies its own tokens, so only rounding of iat/exp to seconds matters. */
const CLOCK_TOLERANCE_S = 5;

export class AccessTokens {
  constructor(
    private readonly key: SigningKey,
    private readonly opts: AccessTokenOptions,
    private readonly clock: Clock,
  ) {}

  /** `capMs` lets a session's absolute end (REFRESH_TOKENS=off) bound the token's life. */
  async sign(userId: string, sessionId: string, capMs = Infinity): Promise<{ token: string; expiresAtMs: number }> {
    const nowMs = this.clock.now();
    const iat = Math.floor(nowMs / 1000);
    const exp = Math.floor(Math.min(nowMs + this.opts.ttlS * 1000, capMs) / 1000);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: this.key.kid, typ: 'at+jwt' })
      .setIssuer(this.opts.issuer)
      .setAudience(this.opts.audience)
      .setSubject(userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(crypto.randomUUID())
      .sign(this.key.privateKey);
    return { token, expiresAtMs: exp * 1000 };
  }

  /** Throws on any invalid token; callers map that to 401 invalid_token. Revocation is checked by the caller. */
  async verify(token: string): Promise<AccessClaims> {
    const { payload } = await jwtVerify(token, this.key.publicKey, {
      algorithms: [ACCESS_TOKEN_ALG],
      issuer: this.opts.issuer,
      audience: this.opts.audience,
      typ: 'at+jwt',
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(this.clock.now()),
      requiredClaims: ['iss', 'aud', 'sub', 'sid', 'iat', 'exp', 'jti'],
    });
    if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
      throw new Error('malformed claims');
    }
    return { userId: payload.sub, sessionId: payload.sid, expiresAtMs: payload.exp * 1000 };
  }
}
