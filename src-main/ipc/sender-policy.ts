/**
 * Main treats every renderer as untrusted. A message is honoured only from the app's own top
 * frame: a sub-frame, another origin or a file: page is refused whatever it sends.
 */
export interface IpcSender {
  /** URL of the frame that sent the message (event.senderFrame.url). */
  frameUrl: string | undefined;
  /** True when the sending frame is its page's top frame. */
  isMainFrame: boolean;
}

const OPAQUE_SCHEMES = new Set(['file:', 'data:', 'javascript:', 'about:', 'blob:', 'filesystem:']);

/**
 * scheme://host[:port], or null for opaque origins. Computed by hand because WHATWG URL gives
 * non-special schemes (our app://) an opaque origin, while Chromium treats a registered standard
 * scheme as a tuple origin.
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (OPAQUE_SCHEMES.has(parsed.protocol) || parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`;
}

export function isTrustedSender(sender: IpcSender, appOrigin: string): boolean {
  if (!sender.isMainFrame) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== null && origin === appOrigin;
}
