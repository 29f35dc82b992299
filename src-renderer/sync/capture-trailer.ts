/**
 * The capture-time trailer our encoded transforms append to every encoded audio/video frame:
 *
 *   [payload …][capture session time: float64 big-endian][kind: u8][version: u8][magic: u16 0x5C7A]
 *
 * The sender appends it after the encoder; the receiver strips it before the depacketised frame
 * reaches the decoder (NetEq for audio, the video frame buffer for video), so codecs never see it.
 * A frame without the magic (e.g. sent before the transform was attached) passes unchanged.
 *
 * These functions are self-contained (no imports, no outer references but each other) because
 * capture-worker.ts ships them to the worker as source text.
 */

export const TRAILER_BYTES = 12;
export const TRAILER_MAGIC = 0x5c7a;
export const TRAILER_VERSION = 1;

/** Stream kinds as carried in the trailer. */
export type CaptureKind = 'audio' | 'camera' | 'screen';
export const CAPTURE_KINDS: readonly CaptureKind[] = ['audio', 'camera', 'screen'];

/** Returns a new buffer: `payload` followed by the trailer. */
export function appendCaptureTrailer(payload: ArrayBuffer, captureSessionMs: number, kindCode: number): ArrayBuffer {
  const out = new Uint8Array(payload.byteLength + 12);
  out.set(new Uint8Array(payload), 0);
  const view = new DataView(out.buffer, payload.byteLength, 12);
  view.setFloat64(0, captureSessionMs, false);
  view.setUint8(8, kindCode);
  view.setUint8(9, 1);
  view.setUint16(10, 0x5c7a, false);
  return out.buffer;
}

/** The trailer of `data`, or null when it has none; `payloadBytes` is the length without it. */
export function readCaptureTrailer(data: ArrayBuffer): { captureSessionMs: number; kindCode: number; payloadBytes: number } | null {
  if (data.byteLength < 12) return null;
  const view = new DataView(data, data.byteLength - 12, 12);
  if (view.getUint16(10, false) !== 0x5c7a || view.getUint8(9) !== 1) return null;
  const captureSessionMs = view.getFloat64(0, false);
  if (!Number.isFinite(captureSessionMs)) return null;
  return { captureSessionMs, kindCode: view.getUint8(8), payloadBytes: data.byteLength - 12 };
}
