/**
 * `npm run bench:sync`: the timestamp synchronizer measured in real Chromium over real WebRTC through
 * our server on loopback (apparatus: bench/sync-apparatus.ts, bench/sync-page.browser.ts). One
 * publisher (time-coded canvas camera + screen, tone pulses, chat with mediaTime) and
 * BENCH_SYNC_RECEIVERS receivers (default 2; receiver 2's clock +3.7 s, +200 ppm). Perturbations:
 * screen +150 ms, camera +80 ms ± 30 ms, held in the receive transforms after the stamps are read;
 * with BENCH_SYNC_HOLD_SIDE=send, in the publisher's transforms after stamping instead, so that the
 * path before arrival is slow (as a network's one-way delay is) and the jitter buffers see the holds.
 *
 * Timeline: receivers join (sync on) → join convergence → screen share starts → its convergence →
 * ON window (BENCH_SYNC_SECONDS, default 30, after BENCH_SYNC_WARMUP_S, default 2) → sync turned off →
 * OFF window (same length, after warm-up + 3 s for the targets to ramp down). Prints one JSON object;
 * BENCH_SYNC_DUMP=<file> also writes every raw observation the figures come from.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { addedDelayReport, audioAddedByTruth, clockReport, probeAgreementReport, videoFreezeReport, convergence, firstInSync, openSyncRoom, pairReport, pairSeries, runWithChat, sleep, SYNC_CHROMIUM_EXTRA_ARGS, BENCH_CLOCK_SKEW, BENCH_HOLDS } from './sync-apparatus';
import { cameraLateFrames, presentationStepReport } from './sync-presentation';

const RECEIVERS = Number(process.env.BENCH_SYNC_RECEIVERS ?? 2);
const SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 30);
const WARMUP_S = Number(process.env.BENCH_SYNC_WARMUP_S ?? 2);
const OBSERVE_S = Number(process.env.BENCH_SYNC_OBSERVE_S ?? 6);
const HOLD_SIDE = process.env.BENCH_SYNC_HOLD_SIDE === 'send' ? 'send' : 'recv';
const WEB_AUDIO = process.env.BENCH_SYNC_WEBAUDIO === '1';

async function main() {
  const load0 = loadavg();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...SYNC_CHROMIUM_EXTRA_ARGS], headless: true });
  const room = await openSyncRoom(browser, { receivers: RECEIVERS, skewedReceiver: RECEIVERS - 1, enabled: true, holdSide: HOLD_SIDE, webAudio: WEB_AUDIO });
  try {
    await sleep(OBSERVE_S * 1000);
    const screenAt = await room.truthNow();
    await room.publisher.eval('window.__sync.startScreen()');
    await sleep(OBSERVE_S * 1000);
    await sleep(WARMUP_S * 1000);
    const onFrom = await room.truthNow();
    await runWithChat(room, SECONDS * 1000);
    const onTo = await room.truthNow();
    for (const r of room.receivers) await r.eval('window.__sync.setEnabled(false)');
    await sleep((WARMUP_S + 3) * 1000);
    const offFrom = await room.truthNow();
    await runWithChat(room, SECONDS * 1000);
    const offTo = await room.truthNow();

    const pub = await room.publisher.drain();
    const recs = await Promise.all(room.receivers.map((r) => r.drain()));
    // Every raw observation, for diagnosis (BENCH_SYNC_DUMP=<file>).
    if (process.env.BENCH_SYNC_DUMP) writeFileSync(process.env.BENCH_SYNC_DUMP, JSON.stringify({ ev: { screen: screenAt, onFrom, onTo, offFrom, offTo }, pub, recs }));
    const welcomeAt = (r: (typeof recs)[number]) => r.events.find((e) => e.what === 'welcome')!.at;
    const joinConv = recs.map((r) => {
      const welcome = welcomeAt(r);
      const firstMedia = r.events.find((e) => e.what === 'media:camera')?.at ?? welcome;
      const s = pairSeries(pub, r);
      return {
        afterWelcomeMs: convergence(s.cameraAudio, welcome, screenAt),
        firstInSyncAfterWelcomeMs: firstInSync(s.cameraAudio, welcome, screenAt),
        firstMediaAfterWelcomeMs: Math.round(firstMedia - welcome),
        // 250 ms intervals from 2 s after the welcome to the share: the camera behind the audio or
        // in step with it, and whether its frames reached its jitter buffer late (see sync-presentation.ts).
        cameraLateFramesAfter2s: cameraLateFrames(r, s.cameraAudio, { from: welcome + 2_000, to: screenAt }),
      };
    });
    const screenConv = recs.map((r) => {
      const s = pairSeries(pub, r);
      const all = [...s.screenAudio];
      return {
        screenAudioMs: convergence(all, screenAt, onFrom),
        screenAudioFirstInSyncMs: firstInSync(all, screenAt, onFrom),
        screenCameraMs: convergence(s.screenCamera, screenAt, onFrom),
      };
    });
    const on = { from: onFrom, to: onTo };
    const off = { from: offFrom, to: offTo };
    const onPairs = pairReport(pub, recs, on);
    const offPairs = pairReport(pub, recs, off);
    const clockOn = clockReport(recs, on);
    const added = addedDelayReport(recs, on);
    const p95 = (x: { absP95: number | null }) => x.absP95 ?? Infinity;
    console.log(
      JSON.stringify(
        {
          bench: 'sync',
          machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, chromium: browser.version(), loadavgStart: load0.map((x) => Math.round(x * 100) / 100), loadavgEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
          setup: { receivers: RECEIVERS, seconds: SECONDS, warmupS: WARMUP_S, holds: BENCH_HOLDS, holdSide: HOLD_SIDE, webAudioPath: WEB_AUDIO, skewedReceiver: { index: RECEIVERS - 1, ...BENCH_CLOCK_SKEW }, skewSign: 'delay(first) − delay(second), ms; chat: shown − (its media moment as played by the audio)' },
          skewMs: {
            cameraAudio: { off: offPairs.cameraAudio, on: onPairs.cameraAudio },
            screenAudio: { off: offPairs.screenAudio, on: onPairs.screenAudio },
            screenCamera: { off: offPairs.screenCamera, on: onPairs.screenCamera },
            chatAudio: { off: offPairs.chatAudio, on: onPairs.chatAudio },
          },
          audioDelayMs: { off: offPairs.audioDelayMs, on: onPairs.audioDelayMs },
          // Per receiver: presented-frame observations not counted because the callback ran late and
          // read a newer frame's pixels than its metadata's (see bench/sync-frames.ts).
          framesDiscarded: { off: offPairs.framesDiscarded, on: onPairs.framesDiscarded },
          // The same pairs with the audio timed through a WebAudio analysis graph instead of where the
          // <audio> element plays it (see bench/sync-audio.browser.ts): for comparison, not the target.
          skewMsAudioViaWebAudio: WEB_AUDIO ? { off: offPairs.webAudioPath, on: onPairs.webAudioPath } : 'not measured (BENCH_SYNC_WEBAUDIO=1 measures it)',
          clockOffsetErrorMs: clockOn,
          convergence: { afterJoin: joinConv, afterScreenShare: screenConv },
          // addedMs: the synchronizer's own reckoning of the delay it adds; audioAddedMsByTruth, per
          // receiver: its audio's median delay on − off, as a listener has it.
          alignment: { ...added, audioAddedMsByTruth: audioAddedByTruth(pub, recs, on, off) },
          // Per receiver: video freezes Chromium counted over the whole run, and key frames it asked for.
          videoFreezes: videoFreezeReport(recs),
          // Per receiver, ON window: median (synchronizer's measured video delay − the pixels'), ms.
          probeMinusPixelsMs: probeAgreementReport(recs, on),
          // Per receiver and video kind: steps of ≥ 25 ms in the presented delay between consecutive
          // 250 ms intervals, and how many of them the jitter buffer's own delay followed (see
          // bench/sync-presentation.ts): the others happened where no jitterBufferTarget reaches.
          // `join`: from the first receiver's welcome until the screen share starts (the camera only).
          presentationSteps: { join: presentationStepReport(recs, { from: Math.min(...recs.map(welcomeAt)), to: screenAt }), off: presentationStepReport(recs, off), on: presentationStepReport(recs, on) },
          targets: {
            cameraAudioAbsP95Le20: p95(onPairs.cameraAudio) <= 20,
            screenAudioAbsP95Le20: p95(onPairs.screenAudio) <= 20,
            chatWithin33AbsP95: p95(onPairs.chatAudio) <= 33,
            clockErrorP95Le2: (clockOn.all.p95 ?? Infinity) <= 2,
            convergedWithin2s: [...joinConv.map((c) => c.afterWelcomeMs), ...screenConv.map((c) => c.screenAudioMs)].every((x) => x !== null && x <= 2_000),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await room.close();
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
