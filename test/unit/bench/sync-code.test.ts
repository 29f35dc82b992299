import { describe, expect, it } from 'vitest';
import { decodeBits, encodeBits } from '../../../bench/sync-code';

describe('sync bench time code', () => {
  it('round-trips epoch milliseconds and resolves the 32-bit wrap near the reader', () => {
    for (const ms of [0, 1_795_709_613_651, 2 ** 32 - 1, 2 ** 32 + 5]) {
      expect(decodeBits(encodeBits(ms), ms + 300)).toBe(ms);
    }
  });
  it('a flipped bit fails the check', () => {
    const bits = encodeBits(1_795_709_613_651);
    bits[7] = !bits[7];
    expect(decodeBits(bits, 1_795_709_613_651)).toBeNull();
  });
});
