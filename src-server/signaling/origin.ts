/**
 * The WebSocket Origin check. Browsers always send Origin on a WebSocket upgrade, so a page on
 * another site cannot ride a user's ticket; a request without Origin is a non-browser client,
 * allowed because the ticket itself is the credential.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  const o = origin.trim().toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    if (!p.endsWith(':*')) return o === p;
    // `http://127.0.0.1:*` matches that scheme and host with any (or no) port, nothing else.
    const base = p.slice(0, -2);
    return o === base || (o.startsWith(base + ':') && /^\d{1,5}$/.test(o.slice(base.length + 1)));
  });
}
