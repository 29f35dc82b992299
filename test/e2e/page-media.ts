import type { Page } from '@playwright/test';

/** True once the <video> has presented a few decoded frames with a real size (within 3 s). */
export async function decodesFrames(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(
    (sel) =>
      new Promise<boolean>((resolve) => {
        const video = document.querySelector<HTMLVideoElement>(sel);
        if (!video) return resolve(false);
        let frames = 0;
        const onFrame = () => {
          if (++frames >= 3) resolve(video.videoWidth > 0 && video.videoHeight > 0);
          else video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        setTimeout(() => resolve(false), 3000);
      }),
    selector,
  );
}
