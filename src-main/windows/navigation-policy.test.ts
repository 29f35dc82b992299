import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAllowedNavigation, isPermissionAllowed, isSafeExternalUrl } from './navigation-policy';

const APP = 'app://webinar';

describe('navigation', () => {
  it('allows only the app origin, compared after parsing', () => {
    expect(isAllowedNavigation('app://webinar/index.html#x', APP)).toBe(true);
    for (const url of ['app://webinar.evil/', 'app://webinarx/', 'https://webinar/', 'file:///index.html', 'javascript:alert(1)', 'not a url', '']) {
      expect(isAllowedNavigation(url, APP)).toBe(false);
    }
  });
});

describe('external links', () => {
  const allow = ['docs.example.com'];
  it('opens https links to allowlisted hosts', () => {
    expect(isSafeExternalUrl('https://docs.example.com/help', allow)).toBe(true);
    expect(isSafeExternalUrl('HTTPS://DOCS.EXAMPLE.COM/help', allow)).toBe(true);
  });
  it.each([
    'http://docs.example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://docs.example.com/share',
    ' https://docs.example.com/',
    'https://docs.example.com.evil.com/',
    'https://user:pw@docs.example.com/',
    'https://docs.example.com:8443/',
    'https://dоcs.example.com/', // Cyrillic "о": punycode host, not allowlisted
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url, allow)).toBe(false);
  });
  it('refuses every non-https scheme (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http', 'ftp', 'file', 'smb', 'javascript', 'data'] as never }), (url) => {
        expect(isSafeExternalUrl(url, allow)).toBe(false);
      }),
    );
  });
});

describe('permissions', () => {
  it('grants camera, microphone and display capture only to the app origin', () => {
    expect(isPermissionAllowed('media', 'app://webinar/index.html', APP, ['audio', 'video'])).toBe(true);
    expect(isPermissionAllowed('display-capture', 'app://webinar/index.html', APP)).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/', APP, ['audio'])).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midiSysex', 'hid', 'serial']) {
      expect(isPermissionAllowed(p, 'app://webinar/index.html', APP)).toBe(false);
    }
  });
});
