/**
 * The bridge: `window.webinar` with named functions built from the IPC contract, and nothing
 * else. The renderer never sees `ipcRenderer`, an event object or a sender.
 * This is the only renderer-side module allowed to touch `ipcRenderer` (lint-enforced).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildWebinarApi, type BridgeTransport } from './webinar-api';

const transport: BridgeTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe: (channel, listener) => {
    // Strip the IpcRendererEvent: only the payload crosses into the page.
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('webinar', buildWebinarApi(transport));
