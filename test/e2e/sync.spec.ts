/**
 * Issue 4, the end-to-end check: real Chromium pages, real WebRTC through our server on loopback,
 * our real signaling / session clock / simple-peer / synchronizer modules (the sync benchmark's
 * apparatus, shorter). The screen share is delayed 150 ms after its capture stamps are attached.
 * In the same room, with the synchronizer OFF the screen–audio skew p95 must exceed 40 ms (proof
 * that this test can fail) and ON it must be under 40 ms (the figure) and at least 30 ms
 * lower than OFF.
 */
import { expect, test } from '@playwright/test';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { openSyncRoom, pairReport, sleep, SYNC_CHROMIUM_EXTRA_ARGS, type SyncRoom } from '../../bench/sync-apparatus';

// 15 s gives 60 tone pulses per phase: the p95 is the 3rd-worst pulse, not the 2nd of 36.
const MEASURE_MS = Number(process.env.SYNC_E2E_MEASURE_MS ?? 15_000);

// A timing measurement on a shared 2-core machine: one retry absorbs a scheduler stall. A retry that
// passes is reported as flaky by Playwright (visible in the summary), never hidden.
test.describe.configure({ retries: 1 });

test('synchronizer: removes the 150 ms screen delay against audio (skew p95 on vs off)', async () => {
  test.setTimeout(120_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...SYNC_CHROMIUM_EXTRA_ARGS], headless: true });
  let room: SyncRoom | null = null;
  try {
    room = await openSyncRoom(browser, { receivers: 1, skewedReceiver: 0, enabled: true, screenFirst: true, holds: { screen: { delayMs: 150 } } });
    const receiver = room.receivers[0]!;
    // Join + converge (target ≤ 2 s; allow for loaded cores), then measure ON.
    await sleep(5_000);
    const onFrom = await room.truthNow();
    await sleep(MEASURE_MS);
    const onTo = await room.truthNow();
    await receiver.eval('window.__sync.setEnabled(false)');
    await sleep(5_000); // targets back to the browser default (video ramps at ≤ 100 ms/s)
    const offFrom = await room.truthNow();
    await sleep(MEASURE_MS);
    const offTo = await room.truthNow();
    const pub = await room.publisher.drain();
    const rec = await receiver.drain();
    const on = pairReport(pub, [rec], { from: onFrom, to: onTo });
    const off = pairReport(pub, [rec], { from: offFrom, to: offTo });
    console.log(JSON.stringify({ screenAudio: { on: on.screenAudio, off: off.screenAudio }, cameraAudio: { on: on.cameraAudio, off: off.cameraAudio } }));
    expect(on.screenAudio.n, 'enough tone pulses matched with screen frames (on)').toBeGreaterThanOrEqual(15);
    expect(off.screenAudio.n, 'enough tone pulses matched with screen frames (off)').toBeGreaterThanOrEqual(15);
    // With the synchronizer off the 150 ms screen delay shows; on, it is removed. Seen on this 2-core
    // machine with the current probes and controller (6 CI runs): on 6.4–28.4 ms; off 73.3–97.5 ms.
    // Session 16's machine, slower (typecheck 20 s against 13): on 52.0 (retried: 24.4) and 30.3;
    // off 88.2–111. Session 17, the bench pages' time code read from the frames' luma rows instead of
    // through a canvas (a lighter receiver): on 18.0–25.2, off 93–112.9 (4 runs). Sessions 19–20:
    // on 19.1–34.2 (9 CI runs). Session 21, load average about 3.5: on 28.7–37.8, off 104.6–122.7
    // (4 runs, with the video's 8 s window); the code before, run in between, on 30.5–36.9 (3 runs).
    // With the synchronizer disabled on ≈ off, and both checks below fail.
    expect(off.screenAudio.absP95!).toBeGreaterThan(40);
    expect(on.screenAudio.absP95!).toBeLessThan(40);
    expect(on.screenAudio.absP95!).toBeLessThan(off.screenAudio.absP95! - 30);
    // Each stream's capture-to-arrival delay (which raises the offset priors on a slow path) is
    // read where its frames reach the receive transform, before the 150 ms hold the bench applies
    // there: loopback's 10–21 ms.
    const arrivals = rec.sync.filter((x) => x.at >= onFrom && x.at < onTo).map((x) => x.arrivals);
    for (const kind of ['audio', 'camera', 'screen']) {
      const last = arrivals.at(-1)?.[kind];
      expect(last, `${kind}: capture-to-arrival measured`).toBeGreaterThan(0);
      expect(last!, `${kind}: capture-to-arrival on loopback, the hold not counted`).toBeLessThan(60);
    }
  } finally {
    await room?.close();
    await browser.close();
  }
});
