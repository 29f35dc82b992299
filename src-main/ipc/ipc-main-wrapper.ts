/**
 * The only module that touches `ipcMain` and `webContents.send` (lint-enforced). It adapts
 * Electron's events to `dispatchInvoke`, which holds every check.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ipcEvents, ipcInvoke, type EventChannel, type EventPayload } from '../../src-shared/ipc-contract';
import { dispatchInvoke, type IpcHandlerTable } from './ipc-dispatch';
import type { IpcSender } from './sender-policy';

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url, isMainFrame: frame != null && frame.parent === null };
}

export function registerIpcHandlers(table: IpcHandlerTable, appOrigin: string): () => void {
  const channels = Object.keys(ipcInvoke);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => dispatchInvoke(table, channel, payload, senderOf(event), appOrigin));
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}

/** Push an event to a window, parsed against the contract so main cannot leak extra fields. */
export function sendIpcEvent<C extends EventChannel>(target: WebContents, channel: C, payload: EventPayload<C>): void {
  if (target.isDestroyed()) return;
  target.send(channel, ipcEvents[channel].parse(payload));
}
