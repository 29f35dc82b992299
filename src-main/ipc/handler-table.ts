/** Assembles the full IPC handler table from the per-feature handler sets. */
import type { IpcHandlerTable } from './ipc-dispatch';
import { createSessionHandlers, type SessionService } from './session-handlers';
import { createScreenShareHandlers, createWebinarHandlers, type ScreenShareService } from './webinar-handlers';
import type { WebinarClient } from '../webinars/webinar-client';

export interface IpcServices {
  session: SessionService;
  webinars: WebinarClient;
  screenShare: ScreenShareService;
}

export function createIpcHandlerTable(services: IpcServices): IpcHandlerTable {
  return {
    ...createSessionHandlers(services.session),
    ...createWebinarHandlers(services.webinars),
    ...createScreenShareHandlers(services.screenShare),
  };
}
