/**
 * Screen share in Electron: the renderer lists sources through the preload, the user picks one
 * in our own picker, and the next getDisplayMedia() from the app's origin gets exactly that
 * source (session.setDisplayMediaRequestHandler). Electron objects are injected.
 */
import type { DesktopCapturer, DesktopCapturerSource, Session } from 'electron';
import type { ScreenSource } from '../../src-shared/ipc-contract';
import type { ScreenShareService } from '../ipc/webinar-handlers';
import { originOf } from '../ipc/sender-policy';

export class DesktopScreenShare implements ScreenShareService {
  private listed = new Map<string, DesktopCapturerSource>();
  private selected: DesktopCapturerSource | null = null;

  constructor(
    private readonly capturer: Pick<DesktopCapturer, 'getSources'>,
    private readonly appOrigin: string,
  ) {}

  async listSources(): Promise<ScreenSource[]> {
    const sources = await this.capturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 180 } });
    this.listed = new Map(sources.map((s) => [s.id, s]));
    return sources.map((s) => ({ id: s.id, name: s.name, kind: s.id.startsWith('screen:') ? 'screen' : 'window', thumbnail: s.thumbnail.toDataURL() }));
  }

  select(sourceId: string): void {
    const source = this.listed.get(sourceId);
    if (!source) throw Object.assign(new Error('That screen or window is no longer available.'), { code: 'not_found' });
    this.selected = source;
  }

  /** Installs the handler: only the app's origin, only a source the user picked, used once. */
  attach(session: Pick<Session, 'setDisplayMediaRequestHandler'>): void {
    session.setDisplayMediaRequestHandler((request, callback) => {
      const source = this.selected;
      this.selected = null;
      if (!source || originOf(request.securityOrigin ?? request.frame?.url) !== this.appOrigin) {
        callback({});
        return;
      }
      callback({ video: source });
    });
  }
}
