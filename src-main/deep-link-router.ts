/**
 * Routes `webinar://join/<id>` links (from argv at start-up, a second instance, or macOS
 * open-url) to the window. Links that arrive before the window can listen are held, newest only.
 */
import { findDeepLink, parseJoinLink } from '../src-shared/deep-link';

export class DeepLinkRouter {
  private pending: string | null = null;
  private deliver: ((webinarId: string) => void) | null = null;

  fromArgv(argv: readonly string[]): void {
    const id = findDeepLink(argv);
    if (id) this.route(id);
  }

  fromUrl(url: string): void {
    const id = url.startsWith('webinar://') ? parseJoinLink(url) : null;
    if (id) this.route(id);
  }

  /** Called once the renderer is loaded; flushes a held link. */
  connect(deliver: (webinarId: string) => void): void {
    this.deliver = deliver;
    if (this.pending) {
      const id = this.pending;
      this.pending = null;
      deliver(id);
    }
  }

  disconnect(): void {
    this.deliver = null;
  }

  private route(webinarId: string): void {
    if (this.deliver) this.deliver(webinarId);
    else this.pending = webinarId;
  }
}
