import type { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { base64url, decodeJwt, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { call, expectError, signedInUser } from './api';

let server: TestServer;
let good: { accessToken: string; sessionId: string; userId: string };
let serverPrivateKey: webcrypto.CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  server = await startTestServer();
  const { user, tokens } = await signedInUser(server.url);
  good = { accessToken: tokens.accessToken, sessionId: tokens.sessionId, userId: user.id };
  const file = fs.readdirSync(server.dataDir).find((f) => f.endsWith('.jwk.json'))!;
  const jwk = JSON.parse(fs.readFileSync(path.join(server.dataDir, file), 'utf8')) as JWK;
  serverPrivateKey = (await importJWK(jwk, 'EdDSA')) as webcrypto.CryptoKey;
  publicJwk = (await call(server.url, 'GET', '/.well-known/jwks.json')).body.keys[0];
});
afterAll(() => server.close());

const me = (token: string) => call(server.url, 'GET', '/api/me', { token });
const claims = () => decodeJwt(good.accessToken);

/** Re-sign the good token's claims, with changes, using the real server key. */
async function resign(mutate: (c: Record<string, unknown>) => void, header: Record<string, unknown> = {}) {
  const c: Record<string, unknown> = { ...claims() };
  mutate(c);
  return new SignJWT(c).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: publicJwk.kid, ...header }).sign(serverPrivateKey);
}

describe('access token verification is pinned', () => {
  it('the genuine token and a faithful re-signing pass (sanity)', async () => {
    expect((await me(good.accessToken)).status).toBe(200);
    expect((await me(await resign(() => {}))).status).toBe(200);
  });

  it('alg none is rejected', async () => {
    const c = claims();
    const token = new UnsecuredJWT({ ...c }).encode();
    expectError(await me(token), 401, 'invalid_token');
    // and a hand-built variant with the signature stripped from the genuine token
    const [, payload] = good.accessToken.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    expectError(await me(`${header}.${payload}.`), 401, 'invalid_token');
  });

  it('HS256 signed with the public key bytes is rejected (key confusion)', async () => {
    const c = claims();
    for (const secret of [base64url.decode(publicJwk.x!), new TextEncoder().encode(JSON.stringify(publicJwk))]) {
      const token = await new SignJWT({ ...c }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(secret);
      expectError(await me(token), 401, 'invalid_token');
    }
  });

  it('a token signed by another Ed25519 key is rejected', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const token = await new SignJWT({ ...claims() })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: publicJwk.kid })
      .sign(privateKey);
    expectError(await me(token), 401, 'invalid_token');
  });

  it.each([
    ['missing iss', (c: Record<string, unknown>) => delete c.iss],
    ['wrong iss', (c: Record<string, unknown>) => (c.iss = 'https://evil.example')],
    ['missing aud', (c: Record<string, unknown>) => delete c.aud],
    ['wrong aud', (c: Record<string, unknown>) => (c.aud = 'someone-else')],
    ['missing exp', (c: Record<string, unknown>) => delete c.exp],
    ['expired', (c: Record<string, unknown>) => (c.exp = Math.floor(Date.now() / 1000) - 60)],
    ['missing sid', (c: Record<string, unknown>) => delete c.sid],
    ['unknown sid', (c: Record<string, unknown>) => (c.sid = crypto.randomUUID())],
    ['sub not owning sid', (c: Record<string, unknown>) => (c.sub = crypto.randomUUID())],
    ['missing jti', (c: Record<string, unknown>) => delete c.jti],
  ])('%s is rejected even when correctly signed', async (_name, mutate) => {
    expectError(await me(await resign(mutate)), 401, 'invalid_token');
  });

  it('clock tolerance is at most 30 s: expired 31 s ago, or nbf 31 s ahead, is rejected', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectError(await me(await resign((c) => (c.exp = now - 31))), 401, 'invalid_token');
    expectError(await me(await resign((c) => (c.nbf = now + 31))), 401, 'invalid_token');
    // The tolerance is small but not zero: a token that expired a moment ago still passes (rounding of exp to seconds).
    expect((await me(await resign((c) => (c.exp = now - 1)))).status).toBe(200);
  });

  it('RS256 with an attacker key embedded in the header (jwk) is rejected', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    for (const alg of ['RS256', 'PS256', 'ES256'] as const) {
      const key = alg === 'RS256' ? privateKey : (await generateKeyPair(alg)).privateKey;
      const token = await new SignJWT({ ...claims() }).setProtectedHeader({ alg, typ: 'at+jwt', kid: publicJwk.kid, ...(alg === 'RS256' ? { jwk } : {}) }).sign(key);
      expectError(await me(token), 401, 'invalid_token');
    }
  });

  it('a wrong typ header (an ID token or plain JWT presented as an access token) is rejected', async () => {
    for (const typ of ['JWT', 'id+jwt', 'refresh']) expectError(await me(await resign(() => {}, { typ })), 401, 'invalid_token');
  });

  it('a tampered payload is rejected', async () => {
    const [h, , s] = good.accessToken.split('.');
    const payload = base64url.encode(JSON.stringify({ ...claims(), sub: 'someone' }));
    expectError(await me(`${h}.${payload}.${s}`), 401, 'invalid_token');
  });

  it('malformed Authorization headers are 401 invalid_token', async () => {
    for (const authorization of ['Basic abc', 'Bearer', 'Bearer a b', `bearer  ${'x'.repeat(5000)}`, 'Bearer ....']) {
      const r = await fetch(`${server.url}/api/me`, { headers: { authorization } });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: string }).error).toBe('invalid_token');
    }
  });
});
