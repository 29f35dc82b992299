import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { dispatchInvoke, type IpcHandlerTable } from './ipc-dispatch';
import { ipcInvoke } from '../../src-shared/ipc-contract';

const APP = 'app://webinar';
const top = { frameUrl: 'app://webinar/index.html', isMainFrame: true };

function spyTable() {
  const calls: string[] = [];
  const table = Object.fromEntries(
    Object.keys(ipcInvoke).map((channel) => [
      channel,
      vi.fn(async () => {
        calls.push(channel);
        return { ok: true as const, value: null };
      }),
    ]),
  ) as unknown as IpcHandlerTable;
  return { table, calls };
}

describe('dispatchInvoke', () => {
  it('calls the handler for a trusted sender with a valid payload', async () => {
    const { table, calls } = spyTable();
    const result = await dispatchInvoke(table, 'session:revokeDevice', { id: 'abc' }, top, APP);
    expect(result.ok).toBe(true);
    expect(calls).toEqual(['session:revokeDevice']);
  });

  it.each([
    ['another origin', { frameUrl: 'https://evil.example/index.html', isMainFrame: true }],
    ['a look-alike origin', { frameUrl: 'app://webinar.evil/index.html', isMainFrame: true }],
    ['a file: page', { frameUrl: 'file:///etc/passwd', isMainFrame: true }],
    ['a sub-frame of the app', { frameUrl: 'app://webinar/index.html', isMainFrame: false }],
    ['a frame with no URL', { frameUrl: undefined, isMainFrame: true }],
    ['a data: page', { frameUrl: 'data:text/html,hi', isMainFrame: true }],
  ])('refuses %s on every channel without calling any handler', async (_name, sender) => {
    const { table, calls } = spyTable();
    for (const channel of Object.keys(ipcInvoke)) {
      const result = await dispatchInvoke(table, channel, undefined, sender, APP);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses unknown channels, including prototype keys', async () => {
    const { table, calls } = spyTable();
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatchInvoke(table, channel, undefined, top, APP);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(calls).toEqual([]);
  });

  it('never calls a handler with a payload its schema rejects (property)', async () => {
    const channels = Object.keys(ipcInvoke) as (keyof typeof ipcInvoke)[];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), fc.anything(), async (channel, payload) => {
        const { table, calls } = spyTable();
        const valid = ipcInvoke[channel].request.safeParse(payload).success;
        const result = await dispatchInvoke(table, channel, payload, top, APP);
        expect(result.ok).toBe(valid);
        expect(calls.length).toBe(valid ? 1 : 0);
      }),
      { numRuns: 500 },
    );
  });
});
