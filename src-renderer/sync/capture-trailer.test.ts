import { describe, expect, it } from 'vitest';
import { appendCaptureTrailer, readCaptureTrailer, TRAILER_BYTES } from './capture-trailer';

describe('capture trailer', () => {
  it('round-trips the capture time and kind, and the payload length', () => {
    const payload = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    const withTrailer = appendCaptureTrailer(payload, 1_795_709_613_651.375, 2);
    expect(withTrailer.byteLength).toBe(5 + TRAILER_BYTES);
    expect(readCaptureTrailer(withTrailer)).toEqual({ captureSessionMs: 1_795_709_613_651.375, kindCode: 2, payloadBytes: 5 });
    expect([...new Uint8Array(withTrailer, 0, 5)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('a frame without a trailer (or too short) is left alone', () => {
    expect(readCaptureTrailer(new Uint8Array(40).fill(7).buffer)).toBeNull();
    expect(readCaptureTrailer(new Uint8Array(3).buffer)).toBeNull();
  });

  it('rejects a non-finite capture time', () => {
    expect(readCaptureTrailer(appendCaptureTrailer(new ArrayBuffer(0), Number.NaN, 0))).toBeNull();
  });
});
