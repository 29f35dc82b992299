import { describe, expect, it } from 'vitest';
import { DeepLinkRouter } from './deep-link-router';

describe('DeepLinkRouter', () => {
  it('holds a start-up link until the window connects, then delivers it once', () => {
    const router = new DeepLinkRouter();
    router.fromArgv(['/opt/Webinar/webinar', 'webinar://join/abc']);
    const got: string[] = [];
    router.connect((id) => got.push(id));
    router.connect((id) => got.push(`again:${id}`));
    expect(got).toEqual(['abc']);
  });

  it('delivers later links at once and ignores anything that is not a join link', () => {
    const router = new DeepLinkRouter();
    const got: string[] = [];
    router.connect((id) => got.push(id));
    router.fromUrl('webinar://join/x1');
    router.fromUrl('https://evil.example/join/x2');
    router.fromArgv(['--inspect', 'webinar://settings']);
    expect(got).toEqual(['x1']);
  });
});
