import { describe, expect, it } from 'vitest';
import { classifyKeychainFailure, KeytarSecretStore } from '../../../src-main/session/keytar-secret-store';
import { accountFor, encodeStoredSession, pickStoredSession, serverOrigin } from '../../../src-main/session/stored-session';

describe('keychain failure classification', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'unavailable'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'unavailable'],
    ['Could not connect: No such file or directory', 'unavailable'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'unavailable'],
    ['Cannot create an item in a locked collection', 'locked'],
    ['GDBus.Error:org.freedesktop.Secret.Error.IsLocked: Collection is locked', 'locked'],
    ['Prompt dismissed', 'locked'],
    ['something odd', 'unknown'],
  ])('%s → %s', (msg, kind) => {
    const e = classifyKeychainFailure(new Error(msg));
    expect(e.kind).toBe(kind);
    expect(e.detail).toBe(msg);
    if (kind === 'unavailable' && msg.includes('D-Bus')) expect(e.message).toMatch(/gnome-keyring or KWallet/);
  });
  it('a module that fails to load becomes an error, not a crash at import', async () => {
    const store = new KeytarSecretStore({
      service: 'x',
      load: async () => {
        throw new Error("Cannot find module 'keytar'");
      },
    });
    await expect(store.get('a')).rejects.toMatchObject({ name: 'SecretStoreError', kind: 'unavailable' });
  });
});

describe('stored session entries', () => {
  const user = (id: string) => ({ id, email: `${id}@x.test`, displayName: id });
  it('normalises server URLs to origins', () => {
    expect(serverOrigin('http://127.0.0.1:8787/some/path')).toBe('http://127.0.0.1:8787');
    expect(serverOrigin('https://Example.COM')).toBe('https://example.com');
    expect(serverOrigin('ftp://x')).toBeNull();
    expect(serverOrigin('http://u:p@x')).toBeNull();
    expect(serverOrigin('nope')).toBeNull();
  });
  it('picks the newest valid entry of the origin and flags the rest', () => {
    const o = 'http://a:1';
    const entries = [
      { account: accountFor(o, 'u1'), secret: encodeStoredSession({ refreshToken: 'r1', user: user('u1'), sessionId: 's1', savedAt: 1 }) },
      { account: accountFor(o, 'u2'), secret: encodeStoredSession({ refreshToken: 'r2', user: user('u2'), sessionId: 's2', savedAt: 2 }) },
      { account: accountFor(o, 'u3'), secret: 'garbage' },
      { account: accountFor('http://b:1', 'u9'), secret: encodeStoredSession({ refreshToken: 'r9', user: user('u9'), sessionId: 's9', savedAt: 9 }) },
      // An entry whose account does not match its content is not trusted.
      { account: accountFor(o, 'u4'), secret: encodeStoredSession({ refreshToken: 'r5', user: user('u5'), sessionId: 's5', savedAt: 5 }) },
    ];
    const { found, stale } = pickStoredSession(entries, o);
    expect(found?.stored.user.id).toBe('u2');
    expect(stale.sort()).toEqual([accountFor(o, 'u1'), accountFor(o, 'u3'), accountFor(o, 'u4')].sort());
  });
});
