/** Argon2id password hashing with the parameters the design fixes (OWASP minimum: 19 MiB, t=2, p=1). */
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolatedModules cannot import).
const PARAMS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random secret, verified against for unknown emails so that "no such user" costs the
 * same Argon2 work as "wrong password" and response timing does not reveal registered emails.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}
