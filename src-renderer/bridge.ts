/** The renderer's only way out: the preload's `window.webinar`. */
import type { WebinarApi } from '../src-shared/ipc-contract';

declare global {
  interface Window {
    webinar?: WebinarApi;
  }
}

export function getBridge(): WebinarApi {
  if (!window.webinar) throw new Error('window.webinar is missing: the preload did not run');
  return window.webinar;
}
