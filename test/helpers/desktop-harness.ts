/**
 * The desktop harness (DESIGN.md): the built renderer in Chromium with `window.webinar` bound to
 * the same IPC dispatch and handler table that src-main registers with ipcMain, backed by the real
 * main-process services. It stands in for the Electron window where no Electron binary exists.
 *
 * What differs from Electron, by necessity: the renderer is served over loopback http instead of
 * app:// (same files, same CSP and traversal rules via serveAppRequest), and the bridge talks over
 * Playwright bindings instead of ipcRenderer (same buildWebinarApi as the preload).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { dispatchInvoke } from '../../src-main/ipc/ipc-dispatch';
import { createIpcHandlerTable } from '../../src-main/ipc/handler-table';
import { WebinarClient } from '../../src-main/webinars/webinar-client';
import { HarnessScreenShare } from './harness-screen-share';
import { serveAppRequest } from '../../src-main/windows/app-protocol';
import { createSessionService, type SessionServiceHandle } from '../../src-main/create-session-service';

const ROOT = join(__dirname, '..', '..');
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');

let bridgeScript: Promise<string> | null = null;
function harnessBridge(): Promise<string> {
  bridgeScript ??= build({
    entryPoints: [join(__dirname, 'harness-bridge.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'chrome120',
  }).then((r) => r.outputFiles[0]!.text);
  return bridgeScript;
}

/** Serves the built renderer on loopback with the app protocol's resolver and headers. */
export async function serveRenderer(root = RENDERER_DIR): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    void serveAppRequest(root, pathname).then((r) => {
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface DesktopApp {
  page: Page;
  context: BrowserContext;
  service: SessionServiceHandle;
  origin: string;
  /** Closes the window and stops the main-process services, like quitting the app. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  browser: Browser;
  /** Keychain service name: the same value across launches means the same keychain entries. */
  appId: string;
  serverUrl: string;
  deviceName?: string;
}

export async function launchDesktopApp(options: LaunchOptions): Promise<DesktopApp> {
  const renderer = await serveRenderer();
  const service = createSessionService({
    appId: options.appId,
    deviceName: options.deviceName ?? 'Desktop harness',
    fetch: globalThis.fetch,
  });
  const table = createIpcHandlerTable({ session: service, webinars: new WebinarClient(service), screenShare: new HarnessScreenShare() });
  const context = await options.browser.newContext({ viewport: { width: 1100, height: 760 } });
  await context.exposeBinding('__webinarIpcInvoke', (source, channel: unknown, payload: unknown) =>
    dispatchInvoke(table, channel, payload, { frameUrl: source.frame.url(), isMainFrame: source.frame.parentFrame() === null }, renderer.origin),
  );
  await context.addInitScript({ content: await harnessBridge() });
  const page = await context.newPage();
  const unsubscribe = service.subscribe((state) => {
    void page.evaluate(([c, p]) => (globalThis as unknown as { __webinarHarnessEmit?: (c: string, p: unknown) => void }).__webinarHarnessEmit?.(c, p), ['session:changed', state] as const).catch(() => {});
  });
  // As in main: the service starts (silent restore) while the window loads.
  await service.start(options.serverUrl);
  await page.goto(`${renderer.origin}/index.html`);
  return {
    page,
    context,
    service,
    origin: renderer.origin,
    async close() {
      unsubscribe();
      await context.close();
      service.dispose();
      await renderer.close();
    },
  };
}
