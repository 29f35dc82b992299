/**
 * Serves the built renderer from a custom scheme (app://webinar/…). Resolution is pure and
 * Electron-free: the Electron protocol handler and the desktop test harness both use it, so a
 * traversal attempt answers 404 in both.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

export const APP_SCHEME = 'app';
export const APP_HOST = 'webinar';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Maps a request path to a file under `root`, or null for anything that escapes it. */
export function resolveAppPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Reject rather than normalise: "..", backslashes and NULs never appear in a real asset URL.
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootResolved = resolve(root);
  const full = resolve(rootResolved, relative);
  if (full !== rootResolved && !full.startsWith(rootResolved + sep)) return null;
  return full;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

export async function serveAppRequest(root: string, pathname: string): Promise<AppResponse> {
  const file = resolveAppPath(root, pathname);
  const notFound: AppResponse = { status: 404, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain' }, body: 'Not found' };
  if (!file) return notFound;
  try {
    const body = await readFile(file);
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': type }, body };
  } catch {
    return notFound;
  }
}
