/**
 * Pure decisions for navigation, new windows, external links and permissions. Origins are compared
 * after parsing, never by string prefix ("app://webinar.evil" is not "app://webinar").
 */
import { originOf } from '../ipc/sender-policy';

export function isAllowedNavigation(targetUrl: string, appOrigin: string): boolean {
  return originOf(targetUrl) === appOrigin;
}

/** Hosts the app may open in the user's browser (help pages and the like). */
export const EXTERNAL_ALLOWLIST: readonly string[] = [];

export function isSafeExternalUrl(raw: string, allowlist: readonly string[] = EXTERNAL_ALLOWLIST): boolean {
  if (typeof raw !== 'string' || raw !== raw.trim()) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  // URL normalises IDN hosts to punycode, so an allowlist of ASCII hosts cannot be spoofed by lookalikes.
  return allowlist.includes(url.hostname);
}

export type PermissionName = string;

export const GRANTED_PERMISSIONS: ReadonlySet<PermissionName> = new Set(['media', 'display-capture']);

export function isPermissionAllowed(
  permission: PermissionName,
  requestingUrl: string | undefined,
  appOrigin: string,
  mediaTypes: readonly string[] = [],
): boolean {
  if (!GRANTED_PERMISSIONS.has(permission)) return false;
  if (originOf(requestingUrl) !== appOrigin) return false;
  if (permission === 'media') return mediaTypes.every((t) => t === 'audio' || t === 'video');
  return true;
}
