/** IPC handlers for the webinar and screen-share channels. */
import type { IpcHandlerTable } from './ipc-dispatch';
import { ipcResult } from './ipc-result';
import type { WebinarClient } from '../webinars/webinar-client';
import type { ScreenSource } from '../../src-shared/ipc-contract';

type HandlersFor<P extends string> = Pick<IpcHandlerTable, Extract<keyof IpcHandlerTable, `${P}:${string}`>>;

export function createWebinarHandlers(webinars: WebinarClient): HandlersFor<'webinars'> {
  return {
    'webinars:list': () => ipcResult(() => webinars.list()),
    'webinars:create': (req) => ipcResult(() => webinars.create(req)),
    'webinars:get': ({ id }) => ipcResult(() => webinars.get(id)),
    'webinars:addPanelist': ({ webinarId, email }) => ipcResult(() => webinars.addPanelist(webinarId, email)),
    'webinars:join': ({ id }) => ipcResult(() => webinars.join(id)),
  };
}

/** Screen sources: desktopCapturer in Electron; the desktop harness supplies its own. */
export interface ScreenShareService {
  listSources(): Promise<ScreenSource[]>;
  /** Picks the source the next getDisplayMedia() request gets; unknown ids are refused. */
  select(sourceId: string): void;
}

export function createScreenShareHandlers(screens: ScreenShareService): HandlersFor<'screenShare'> {
  return {
    'screenShare:listSources': () => ipcResult(() => screens.listSources()),
    'screenShare:select': ({ sourceId }) =>
      ipcResult(() => {
        screens.select(sourceId);
        return null;
      }),
  };
}
