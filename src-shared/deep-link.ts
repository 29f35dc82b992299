/**
 * Join links: `webinar://join/<id>` (opened by the OS, routed by main) or what a user pastes into
 * the join box: that link, an https link ending in /join/<id> or /webinars/<id>, or a bare id.
 */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export const DEEP_LINK_SCHEME = 'webinar';

export function parseJoinLink(input: string): string | null {
  const text = input.trim();
  if (ID.test(text)) return text;
  // URL would resolve dot segments ("join/../x" → "/x"): a link that needs that is not a join link.
  if (/\/\.{1,2}(\/|$)/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  let path: string;
  if (url.protocol === `${DEEP_LINK_SCHEME}:`) {
    // webinar://join/<id> parses as host "join" and path "/<id>".
    path = `/${url.host}${url.pathname}`;
  } else if (url.protocol === 'https:' || url.protocol === 'http:') {
    path = url.pathname;
  } else {
    return null;
  }
  const match = /^\/(?:join|webinars)\/([^/]+)\/?$/.exec(path);
  if (!match) return null;
  const id = decodeURIComponent(match[1]!);
  return ID.test(id) ? id : null;
}

/** The first deep link among command-line arguments (Windows/Linux pass the URL in argv). */
export function findDeepLink(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (arg.startsWith(`${DEEP_LINK_SCHEME}://`)) {
      const id = parseJoinLink(arg);
      if (id) return id;
    }
  }
  return null;
}
