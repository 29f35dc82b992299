import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findDeepLink, parseJoinLink } from './deep-link';

describe('parseJoinLink', () => {
  it.each([
    ['webinar://join/abc123', 'abc123'],
    ['webinar://join/abc123/', 'abc123'],
    ['  abc-123_x  ', 'abc-123_x'],
    ['https://webinar.example.com/join/abc', 'abc'],
    ['https://webinar.example.com/webinars/abc', 'abc'],
  ])('%s → %s', (input, id) => expect(parseJoinLink(input)).toBe(id));

  it.each(['', 'webinar://other/abc', 'javascript:alert(1)//join/abc', 'file:///join/abc', 'webinar://join/../x', 'webinar://join/a%2Fb', 'webinar://join/' + 'a'.repeat(65), 'two words'])(
    'refuses %s',
    (input) => expect(parseJoinLink(input)).toBeNull(),
  );

  it('only ever returns a plain id (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const id = parseJoinLink(s);
        expect(id === null || /^[A-Za-z0-9_-]{1,64}$/.test(id)).toBe(true);
      }),
    );
  });

  it('finds the link among argv', () => {
    expect(findDeepLink(['/usr/bin/webinar', '--flag', 'webinar://join/xyz'])).toBe('xyz');
    expect(findDeepLink(['/usr/bin/webinar', 'https://x/join/xyz'])).toBeNull();
  });
});
