/**
 * The renderer's CSP, sent as a response header by the app protocol. No 'unsafe-inline' or
 * 'unsafe-eval': an injected inline script cannot run.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:* wss:", // the signaling WebSocket: loopback dev servers, TLS elsewhere
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "worker-src 'self' blob:",
].join('; ');
