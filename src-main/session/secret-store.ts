/**
 * Where the refresh token lives: the OS keychain, behind one small interface so a swap (keytar →
 * @napi-rs/keyring or Electron safeStorage) is one file. There is deliberately no plaintext
 * implementation: if the keychain is unavailable, the app says so instead of writing secrets to disk.
 */

export interface SecretEntry {
  account: string;
  secret: string;
}

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True if something was deleted. */
  delete(account: string): Promise<boolean>;
  list(): Promise<SecretEntry[]>;
}

/**
 * unavailable: no Secret Service / keychain to talk to at all.
 * locked: the keychain exists but is locked, or the user dismissed the unlock prompt.
 * unknown: anything else the platform reported.
 */
export type SecretStoreErrorKind = 'unavailable' | 'locked' | 'unknown';

export class SecretStoreError extends Error {
  constructor(
    readonly kind: SecretStoreErrorKind,
    /** What the user can do about it. */
    message: string,
    /** The platform's own words, for logs and support. */
    readonly detail: string,
  ) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

export function isSecretStoreError(e: unknown): e is SecretStoreError {
  return e instanceof SecretStoreError;
}
