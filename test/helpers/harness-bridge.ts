/**
 * Runs in the page under test as an init script (bundled by the desktop harness). It builds
 * `window.webinar` with the SAME builder the Electron preload uses, over Playwright bindings
 * instead of ipcRenderer. Test-harness only: this file never ships.
 */
import { buildWebinarApi } from '../../src-preload/webinar-api';

type Listener = (payload: unknown) => void;
interface HarnessWindow {
  __webinarIpcInvoke(channel: string, payload: unknown): Promise<unknown>;
  __webinarHarnessEmit?: (channel: string, payload: unknown) => void;
  webinar?: unknown;
}

const w = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<Listener>>();

Object.defineProperty(window, '__webinarHarnessEmit', {
  value: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload)),
  enumerable: false,
});

// Only the top frame gets the API, as with a preload in a window whose sub-frames have none.
if (window.top === window) {
  const api = buildWebinarApi({
    invoke: (channel, payload) => w.__webinarIpcInvoke(channel, payload),
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  });
  Object.defineProperty(window, 'webinar', { value: api, enumerable: true, writable: false });
}
