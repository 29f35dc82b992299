/**
 * The access-token signing key: Ed25519, created on first start and kept in DATA_DIR as a JWK file
 * readable only by the server's user, so tokens stay valid across restarts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export const ACCESS_TOKEN_ALG = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
  publicJwk: JWK;
}

const FILE = 'access-token-key.jwk.json';

async function createKeyFile(file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  try {
    // 'wx': never overwrite a key another process wrote first.
    fs.writeFileSync(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) await createKeyFile(file);
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  if (stored.kty !== 'OKP' || stored.crv !== 'Ed25519' || !stored.d || !stored.x) {
    throw new Error(`${file} is not an Ed25519 private JWK`);
  }
  const publicJwk: JWK = { kty: stored.kty, crv: stored.crv, x: stored.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateKey = (await importJWK(stored, ACCESS_TOKEN_ALG)) as webcrypto.CryptoKey;
  const publicKey = (await importJWK(publicJwk, ACCESS_TOKEN_ALG)) as webcrypto.CryptoKey;
  return { kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' } };
}
