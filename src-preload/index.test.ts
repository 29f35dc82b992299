/**
 * The real preload module, with Electron's contextBridge and ipcRenderer replaced by recorders
 * (Electron cannot run here). It must expose one key, `webinar`, and hand listeners only payloads.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
const invoked: unknown[][] = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: null };
    },
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) => listeners.set(channel, fn),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

type Api = { session: { signOut(...args: unknown[]): Promise<unknown>; onChange(fn: (...args: unknown[]) => void): () => void } };

beforeAll(async () => {
  await import('./index');
});

describe('preload', () => {
  it('exposes exactly one global, window.webinar', () => {
    expect([...exposed.keys()]).toEqual(['webinar']);
  });

  it('passes exactly one payload argument to main, whatever the page passes', async () => {
    const api = exposed.get('webinar') as Api;
    await api.session.signOut('extra', { sender: 'spoof' });
    expect(invoked.at(-1)).toEqual(['session:signOut', 'extra']);
  });

  it('gives listeners the payload only, never the IPC event, and unsubscribes', () => {
    const api = exposed.get('webinar') as Api;
    const got: unknown[][] = [];
    const off = api.session.onChange((...args) => got.push(args));
    const fakeEvent = { sender: { send() {} }, ports: [] };
    listeners.get('session:changed')!(fakeEvent, { status: 'signedOut' });
    expect(got).toEqual([[{ status: 'signedOut' }]]);
    off();
    expect(listeners.has('session:changed')).toBe(false);
  });

  it('refuses a non-function listener', () => {
    const api = exposed.get('webinar') as Api;
    expect(() => api.session.onChange('nope' as never)).toThrow(TypeError);
  });
});
