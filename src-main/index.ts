/**
 * Composition root of the main process: the only file that touches Electron singletons. It builds
 * the services, injects Electron's objects into them and wires events; the services themselves
 * run in plain Node (tests construct them the same way without Electron).
 */
import { app, BrowserWindow, net, powerMonitor, protocol, session as electronSession, shell } from 'electron';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, serveAppRequest } from './windows/app-protocol';
import { applyPermissionPolicy, createMainWindow } from './windows/main-window';
import { registerIpcHandlers, sendIpcEvent } from './ipc/ipc-main-wrapper';
import { createSessionHandlers } from './ipc/session-handlers';
import { createSessionService } from './create-session-service';
import { SettingsStore } from './settings/settings-store';
import { APP_ID, DEFAULT_SERVER_URL } from './app-config';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  await app.whenReady();
  const rendererRoot = join(__dirname, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const response = url.host === APP_HOST ? await serveAppRequest(rendererRoot, url.pathname) : { status: 404, headers: {}, body: '' };
    const body = typeof response.body === 'string' ? response.body : new Uint8Array(response.body);
    return new Response(body, { status: response.status, headers: response.headers });
  });
  applyPermissionPolicy(electronSession.defaultSession, APP_ORIGIN);

  const settings = new SettingsStore(join(app.getPath('userData'), 'settings.json'));
  const serverUrl = process.env.WEBINAR_SERVER_URL ?? (await settings.read()).serverUrl ?? DEFAULT_SERVER_URL;
  const sessionService = createSessionService({
    appId: APP_ID,
    deviceName: `Webinar on ${hostname()}`,
    fetch: (input, init) => net.fetch(input as string, init),
  });

  registerIpcHandlers(createSessionHandlers(sessionService), APP_ORIGIN);

  let window: BrowserWindow | null = null;
  let rememberedServer = serverUrl;
  sessionService.subscribe((state) => {
    if (window) sendIpcEvent(window.webContents, 'session:changed', state);
    // The server the user last signed in to is where the next start restores from.
    if (state.status === 'signedIn' && state.serverUrl !== rememberedServer) {
      rememberedServer = state.serverUrl;
      void settings.update({ serverUrl: state.serverUrl });
    }
  });

  // Sleep, lock and network changes re-arm renewal: timers do not run while the machine sleeps.
  powerMonitor.on('resume', () => sessionService.handleResume());
  powerMonitor.on('unlock-screen', () => sessionService.handleUnlock());
  let online = net.isOnline();
  setInterval(() => {
    const now = net.isOnline();
    if (now && !online) sessionService.handleNetworkUp();
    online = now;
  }, 5_000).unref();

  const openWindow = () => {
    window = createMainWindow({
      BrowserWindow,
      preloadPath: join(__dirname, '../preload/index.cjs'),
      appOrigin: APP_ORIGIN,
      startUrl: `${APP_ORIGIN}/index.html`,
      openExternal: (url) => shell.openExternal(url),
    });
    window.on('closed', () => (window = null));
  };
  openWindow();
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await sessionService.start(serverUrl);
}
