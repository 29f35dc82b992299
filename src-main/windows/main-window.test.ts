/**
 * createMainWindow and applyPermissionPolicy with recording stand-ins for BrowserWindow and the
 * Electron session (no Electron binary here): the guards they install must deny by default.
 */
import { describe, expect, it } from 'vitest';
import { applyPermissionPolicy, createMainWindow } from './main-window';

type Handler = (...args: unknown[]) => unknown;

class RecordingWindow {
  static last: RecordingWindow;
  readonly handlers = new Map<string, Handler>();
  openHandler: Handler | null = null;
  loaded: string | null = null;
  readonly webContents = {
    on: (name: string, fn: Handler) => this.handlers.set(name, fn),
    setWindowOpenHandler: (fn: Handler) => (this.openHandler = fn),
  };
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    RecordingWindow.last = this;
  }
  once() {}
  show() {}
  async loadURL(url: string) {
    this.loaded = url;
  }
}

function open() {
  const external: string[] = [];
  createMainWindow({
    BrowserWindow: RecordingWindow as never,
    preloadPath: '/app/preload.cjs',
    appOrigin: 'app://webinar',
    startUrl: 'app://webinar/index.html',
    openExternal: async (url) => void external.push(url),
  });
  return { win: RecordingWindow.last, external };
}

function navigate(win: RecordingWindow, event: string, url: string): boolean {
  let prevented = false;
  win.handlers.get(event)!({ preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('createMainWindow', () => {
  it('uses the locked-down webPreferences and loads the app origin', () => {
    const { win } = open();
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: '/app/preload.cjs' });
    expect(win.loaded).toBe('app://webinar/index.html');
  });

  it.each(['https://evil.example/', 'app://webinar.evil/', 'file:///etc/passwd', 'javascript:alert(1)'])('blocks navigation and redirects to %s', (url) => {
    const { win } = open();
    expect(navigate(win, 'will-navigate', url)).toBe(true);
    expect(navigate(win, 'will-redirect', url)).toBe(true);
  });

  it('allows in-app navigation', () => {
    const { win } = open();
    expect(navigate(win, 'will-navigate', 'app://webinar/index.html#room')).toBe(false);
  });

  it('never opens a new window, and hands nothing off the allowlist to the OS', () => {
    const { win, external } = open();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://webinar/index.html']) {
      expect(win.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(external).toEqual([]);
  });

  it('refuses webviews', () => {
    const { win } = open();
    let prevented = false;
    win.handlers.get('will-attach-webview')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('applyPermissionPolicy', () => {
  it('grants media only to the app origin and denies everything else', () => {
    let request: Handler = () => {};
    let check: Handler = () => {};
    applyPermissionPolicy({ setPermissionRequestHandler: (fn: Handler) => (request = fn), setPermissionCheckHandler: (fn: Handler) => (check = fn) } as never, 'app://webinar');
    const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]) => {
      let granted: boolean | null = null;
      request({ getURL: () => requestingUrl }, permission, (ok: boolean) => (granted = ok), { requestingUrl, mediaTypes });
      return granted;
    };
    expect(ask('media', 'app://webinar/index.html', ['audio', 'video'])).toBe(true);
    expect(ask('display-capture', 'app://webinar/index.html')).toBe(true);
    expect(ask('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(ask('geolocation', 'app://webinar/index.html')).toBe(false);
    expect(ask('notifications', 'app://webinar/index.html')).toBe(false);
    expect(check(null, 'media', 'app://webinar')).toBe(true);
    expect(check(null, 'clipboard-read', 'app://webinar')).toBe(false);
  });
});
