/**
 * Screen sources for the desktop harness. Chromium headless has no desktop to capture, so the
 * harness offers one stand-in source and the e2e test replaces getDisplayMedia with a canvas
 * stream (named as a stand-in there). The real picker path is DesktopScreenShare in src-main.
 */
import type { ScreenSource } from '../../src-shared/ipc-contract';
import type { ScreenShareService } from '../../src-main/ipc/webinar-handlers';

export const HARNESS_SCREEN_SOURCE: ScreenSource = {
  id: 'screen:harness-canvas',
  name: 'Test canvas (stand-in for display capture)',
  kind: 'screen',
  thumbnail: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
};

export class HarnessScreenShare implements ScreenShareService {
  selected: string | null = null;
  async listSources(): Promise<ScreenSource[]> {
    return [HARNESS_SCREEN_SOURCE];
  }
  select(sourceId: string): void {
    if (sourceId !== HARNESS_SCREEN_SOURCE.id) throw Object.assign(new Error('That screen or window is no longer available.'), { code: 'not_found' });
    this.selected = sourceId;
  }
}
