/**
 * Composition root of the main process: the only file that touches Electron singletons. It builds
 * the services, injects Electron's objects into them and wires events; the services themselves
 * run in plain Node (tests construct them the same way without Electron).
 */
import { app, BrowserWindow, desktopCapturer, net, powerMonitor, protocol, session as electronSession, shell } from 'electron';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, serveAppRequest } from './windows/app-protocol';
import { applyPermissionPolicy, createMainWindow } from './windows/main-window';
import { registerIpcHandlers, sendIpcEvent } from './ipc/ipc-main-wrapper';
import { createIpcHandlerTable } from './ipc/handler-table';
import { WebinarClient } from './webinars/webinar-client';
import { DesktopScreenShare } from './windows/screen-share';
import { createSessionService } from './create-session-service';
import { SettingsStore } from './settings/settings-store';
import { APP_ID, DEFAULT_SERVER_URL } from './app-config';
import { DeepLinkRouter } from './deep-link-router';
import { DEEP_LINK_SCHEME } from '../src-shared/deep-link';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

const deepLinks = new DeepLinkRouter();
// macOS delivers links by event, possibly before ready.
app.on('open-url', (event, url) => {
  event.preventDefault();
  deepLinks.fromUrl(url);
});

// One instance: a second launch (e.g. the OS opening a webinar:// link) hands its argv to us.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  deepLinks.fromArgv(process.argv);
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

  const screenShare = new DesktopScreenShare(desktopCapturer, APP_ORIGIN);
  screenShare.attach(electronSession.defaultSession);
  registerIpcHandlers(
    createIpcHandlerTable({ session: sessionService, webinars: new WebinarClient(sessionService), screenShare }),
    APP_ORIGIN,
  );

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
    const contents = window.webContents;
    contents.on('did-finish-load', () => deepLinks.connect((webinarId) => sendIpcEvent(contents, 'webinars:deepLink', { webinarId })));
    window.on('closed', () => {
      deepLinks.disconnect();
      window = null;
    });
  };
  openWindow();
  app.on('second-instance', (_event, argv) => {
    deepLinks.fromArgv(argv);
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
