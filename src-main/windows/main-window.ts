/**
 * Creates the app window and attaches the guards. Electron classes are passed in by the
 * composition root (index.ts), which is the only file that imports Electron singletons.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, Session } from 'electron';
import { createWebPreferences } from './web-preferences';
import { isAllowedNavigation, isPermissionAllowed, isSafeExternalUrl } from './navigation-policy';

export interface MainWindowOptions {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowType;
  preloadPath: string;
  appOrigin: string;
  startUrl: string;
  openExternal: (url: string) => Promise<void>;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindowType {
  const win = new options.BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Webinar',
    webPreferences: createWebPreferences(options.preloadPath),
  });
  const contents = win.webContents;

  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, options.appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, options.appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Never a new Electron window; an allowlisted https link goes to the user's browser.
    if (isSafeExternalUrl(url)) void options.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.startUrl);
  return win;
}

/** Permission checks and requests: media and display capture, only for the app's own origin. */
export function applyPermissionPolicy(session: Session, appOrigin: string): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, details.requestingUrl ?? webContents.getURL(), appOrigin, mediaTypes));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin),
  );
}
