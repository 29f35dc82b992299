/**
 * SecretStore on the OS keychain via keytar (macOS Keychain, Windows Credential Manager, Linux
 * Secret Service through libsecret). Service = the app id, so entries of different apps (and of test
 * runs) never mix.
 *
 * keytar is a native addon that is loaded lazily, inside the first call: importing this module must
 * never crash the app (e.g. a missing libsecret), it must turn into an actionable error state.
 */
import { SecretStoreError, type SecretEntry, type SecretStore, type SecretStoreErrorKind } from './secret-store';

type Keytar = typeof import('keytar');

const UNAVAILABLE_HELP =
  'No system keychain (Secret Service) is running: install and unlock gnome-keyring or KWallet, then try again.';
const LOCKED_HELP = 'The system keychain is locked: unlock it (or accept the unlock prompt), then try again.';

/** Platform messages we know, and what they mean for the user. Order matters: first match wins. */
const KNOWN_FAILURES: ReadonlyArray<{ pattern: RegExp; kind: SecretStoreErrorKind; help: string }> = [
  { pattern: /Cannot autolaunch D-Bus/i, kind: 'unavailable', help: UNAVAILABLE_HELP },
  { pattern: /org\.freedesktop\.secrets was not provided/i, kind: 'unavailable', help: UNAVAILABLE_HELP },
  { pattern: /Could not connect/i, kind: 'unavailable', help: UNAVAILABLE_HELP },
  // A Secret Service without a default ("login") keyring: nothing to store into.
  {
    pattern: /Object does not exist at path .*collection/i,
    kind: 'unavailable',
    help: 'The system keychain has no default keyring: create a "login" keyring in your keyring manager (e.g. Seahorse), then try again.',
  },
  { pattern: /locked/i, kind: 'locked', help: LOCKED_HELP },
  { pattern: /dismissed|cancel+ed|user canceled|prompt/i, kind: 'locked', help: LOCKED_HELP },
  // macOS: errSecAuthFailed / user interaction not allowed.
  { pattern: /interaction is not allowed|errSecInteractionNotAllowed|-25308/i, kind: 'locked', help: LOCKED_HELP },
  // Any other D-Bus failure (after the lock checks: a lock error can mention D-Bus too).
  { pattern: /DBus|D-Bus|dbus/i, kind: 'unavailable', help: UNAVAILABLE_HELP },
  {
    pattern: /Cannot find module|libsecret|was compiled against a different Node\.js|invalid ELF header/i,
    kind: 'unavailable',
    help: 'The keychain module could not be loaded (is libsecret installed?). Reinstall the app, then try again.',
  },
];

/** Maps whatever keytar threw to a SecretStoreError the UI can show. Exported for tests. */
export function classifyKeychainFailure(e: unknown): SecretStoreError {
  if (e instanceof SecretStoreError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  for (const f of KNOWN_FAILURES) {
    if (f.pattern.test(detail)) return new SecretStoreError(f.kind, f.help, detail);
  }
  return new SecretStoreError('unknown', `The system keychain reported an error: ${detail}`, detail);
}

/**
 * All keytar calls of this process run one at a time. libsecret is not safe against an item being
 * deleted while another call enumerates it: keytar then dereferences a NULL secret and the whole
 * process dies ("secret_value_get_text: assertion 'value' failed"). keytar is process-wide, so the
 * queue is too, shared by every store instance.
 */
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

export interface KeytarSecretStoreOptions {
  /** Keychain service name, normally the app id (e.g. 'com.example.webinar'). */
  service: string;
  /** For tests: supply the module instead of importing it. */
  load?: () => Promise<Keytar>;
}

export class KeytarSecretStore implements SecretStore {
  private keytar: Promise<Keytar> | null = null;
  readonly service: string;
  private readonly load: () => Promise<Keytar>;

  constructor(opts: KeytarSecretStoreOptions) {
    if (!opts.service) throw new Error('KeytarSecretStore needs a service name');
    this.service = opts.service;
    // Dynamic import works from both the CJS main bundle and ESM tests; a CJS module may arrive
    // as its namespace or under `default`.
    this.load =
      opts.load ??
      (async () => {
        const m = (await import('keytar')) as Keytar & { default?: Keytar };
        return m.default ?? m;
      });
  }

  private module(): Promise<Keytar> {
    if (!this.keytar) {
      this.keytar = this.load();
      // A failed load is retried next time (e.g. after the user installs libsecret).
      this.keytar.catch(() => {
        this.keytar = null;
      });
    }
    return this.keytar;
  }

  private call<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
    return serialized(async () => {
      try {
        return await fn(await this.module());
      } catch (e) {
        throw classifyKeychainFailure(e);
      }
    });
  }

  get(account: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.call((k) => k.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, account));
  }

  async list(): Promise<SecretEntry[]> {
    const creds = await this.call((k) => k.findCredentials(this.service));
    return creds.map((c) => ({ account: c.account, secret: c.password }));
  }
}
