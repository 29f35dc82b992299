import { SecretStoreError, type SecretEntry, type SecretStore, type SecretStoreErrorKind } from '../../src-main/session/secret-store';

/**
 * Test double: stands in for the OS keychain in pure unit tests only. Acceptance tests use the
 * real keychain (KeytarSecretStore). `failWith` makes every call fail like a locked or missing
 * keychain would, to drive the error paths.
 */
export class MemorySecretStore implements SecretStore {
  readonly entries = new Map<string, string>();
  failWith: SecretStoreErrorKind | null = null;
  /** Fail only writes (set), e.g. a keychain that locked after we read from it. */
  failWrites: SecretStoreErrorKind | null = null;
  writes = 0;

  private check(kind: SecretStoreErrorKind | null): void {
    if (kind) throw new SecretStoreError(kind, `memory store: simulated ${kind} keychain`, 'simulated');
  }

  async get(account: string): Promise<string | null> {
    this.check(this.failWith);
    return this.entries.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.check(this.failWith ?? this.failWrites);
    this.writes++;
    this.entries.set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    this.check(this.failWith);
    return this.entries.delete(account);
  }
  async list(): Promise<SecretEntry[]> {
    this.check(this.failWith);
    return [...this.entries].map(([account, secret]) => ({ account, secret }));
  }
}
