/** Opaque refresh tokens: 256 random bits, base64url; the store keeps only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
