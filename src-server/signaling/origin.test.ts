import { describe, expect, it } from 'vitest';
import { DEFAULT_WS_ORIGINS } from '../config';
import { originAllowed } from './origin';
import { MessageLimiter, TokenBucket } from './token-bucket';

describe('originAllowed (defaults)', () => {
  it.each([undefined, 'app://webinar', 'http://127.0.0.1:5173', 'http://localhost:80', 'http://localhost', 'APP://WEBINAR'])('%s allowed', (o) =>
    expect(originAllowed(o, DEFAULT_WS_ORIGINS)).toBe(true),
  );
  it.each(['https://evil.example', 'http://127.0.0.1.evil:1', 'http://localhost:1/x', 'http://localhost:abc', 'https://localhost:1', 'null', '', 'app://webinar2'])(
    '%s refused',
    (o) => expect(originAllowed(o, DEFAULT_WS_ORIGINS)).toBe(false),
  );
});

describe('TokenBucket / MessageLimiter', () => {
  it('allows the burst, then the rate', () => {
    const b = new TokenBucket(10, 5, 0);
    expect([1, 2, 3, 4, 5, 6].map(() => b.take(0))).toEqual([true, true, true, true, true, false]);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
  });
  it('short bursts are limited, sustained abuse is cut off', () => {
    const l = new MessageLimiter(30, 60, 0);
    const first = Array.from({ length: 100 }, () => l.check(0));
    expect(first.filter((v) => v === 'ok')).toHaveLength(60);
    expect(first.filter((v) => v === 'limited')).toHaveLength(40);
    let verdict = 'ok';
    for (let t = 0; t < 5000 && verdict !== 'abuse'; t += 10) verdict = l.check(t);
    expect(verdict).toBe('abuse');
  });
});
