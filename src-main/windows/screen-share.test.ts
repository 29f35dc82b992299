/** DesktopScreenShare with a recording stand-in for desktopCapturer and the session (no Electron here). */
import { describe, expect, it } from 'vitest';
import { DesktopScreenShare } from './screen-share';

const thumb = { toDataURL: () => 'data:image/png;base64,AAAA' };
const capturer = { getSources: async () => [{ id: 'screen:1:0', name: 'Entire screen', thumbnail: thumb }, { id: 'window:42:0', name: 'Slides', thumbnail: thumb }] };

function setup() {
  const share = new DesktopScreenShare(capturer as never, 'app://webinar');
  let handler: (request: unknown, callback: (streams: unknown) => void) => void = () => {};
  share.attach({ setDisplayMediaRequestHandler: (fn: typeof handler) => (handler = fn) } as never);
  const request = (securityOrigin: string) => {
    let answer: unknown;
    handler({ securityOrigin, frame: { url: `${securityOrigin}/index.html` } }, (streams) => (answer = streams));
    return answer as { video?: { id: string } };
  };
  return { share, request };
}

describe('DesktopScreenShare', () => {
  it('lists screens and windows with thumbnails', async () => {
    const { share } = setup();
    expect(await share.listSources()).toEqual([
      { id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnail: 'data:image/png;base64,AAAA' },
      { id: 'window:42:0', name: 'Slides', kind: 'window', thumbnail: 'data:image/png;base64,AAAA' },
    ]);
  });

  it('gives the picked source to the next request from the app, once', async () => {
    const { share, request } = setup();
    await share.listSources();
    share.select('window:42:0');
    expect(request('app://webinar').video?.id).toBe('window:42:0');
    expect(request('app://webinar')).toEqual({});
  });

  it('denies a request with no pick, from another origin, or for a source never listed', async () => {
    const { share, request } = setup();
    expect(request('app://webinar')).toEqual({});
    await share.listSources();
    share.select('screen:1:0');
    expect(request('https://evil.example')).toEqual({});
    expect(() => share.select('screen:99:0')).toThrow(/no longer available/);
  });
});
