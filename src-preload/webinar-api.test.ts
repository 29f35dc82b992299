import { describe, expect, it } from 'vitest';
import { buildWebinarApi } from './webinar-api';
import { PRELOAD_API_SHAPE, ipcEvents, ipcInvoke } from '../src-shared/ipc-contract';

function keyPaths(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keyPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('window.webinar', () => {
  const sent: [string, unknown][] = [];
  const api = buildWebinarApi({
    invoke: async (channel, payload) => {
      sent.push([channel, payload]);
      return { ok: true, value: null };
    },
    subscribe: (_channel, listener) => {
      listener({ status: 'signedOut' });
      return () => {};
    },
  });

  it('exposes exactly the allowlisted functions', () => {
    expect(keyPaths(api).sort()).toEqual(keyPaths(PRELOAD_API_SHAPE).sort());
    for (const fn of keyPaths(api)) {
      const [ns, name] = fn.split('.') as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[ns]![name]).toBe('function');
    }
  });

  it('maps every invoke channel and event of the contract to a function, and nothing else', () => {
    const all = Object.entries(PRELOAD_API_SHAPE).flatMap(([, fns]) => Object.entries(fns));
    expect(all.filter(([k]) => !k.startsWith('on')).map(([, c]) => c).sort()).toEqual(Object.keys(ipcInvoke).sort());
    expect(all.filter(([k]) => k.startsWith('on')).map(([, c]) => c).sort()).toEqual(Object.keys(ipcEvents).sort());
  });

  it('is frozen and passes only the payload to the transport', async () => {
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.session)).toBe(true);
    await api.session.revokeDevice({ id: 'x' });
    expect(sent.at(-1)).toEqual(['session:revokeDevice', { id: 'x' }]);
    let got: unknown;
    const off = api.session.onChange((s) => (got = s));
    expect(got).toEqual({ status: 'signedOut' });
    expect(typeof off).toBe('function');
  });
});
