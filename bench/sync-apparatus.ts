/**
 * The sync benchmark's apparatus, shared by `npm run bench:sync` (bench/sync.bench.ts) and the e2e
 * check (test/e2e/sync.spec.ts): the real server in its own process, real users/webinar/tickets over
 * HTTP, bare Chromium pages running bench/sync-page.browser.ts (our real signaling, session clock,
 * simple-peer and sync modules), one publisher and N receivers; then the analysis of what the pages
 * logged against the shared machine clock. See sync-page.browser.ts for what each page does.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { createWebinar, joinWebinar, newUser } from '../test/helpers/webinar-fixtures';
import { serveScriptPage } from './script-page';
import { spawnServer, type SpawnedServer } from './spawn-server';
import { summary } from './stats';
import { emptySyncLogs, inboundVideoStreams, type SyncLogs as Logs } from './sync-code';
import { median } from '../src-shared/sync/robust-stats';
import { countByKind, matchedFrames } from './sync-frames';

export const SYNC_CHROMIUM_EXTRA_ARGS = ['--autoplay-policy=no-user-gesture-required'];

export const BENCH_HOLDS = { screen: { delayMs: 150 }, camera: { delayMs: 80, jitterMs: 30 } };
export const BENCH_CLOCK_SKEW = { offsetMs: 3_700, driftPpm: 200 };


const merge = (a: Logs, b: Logs): Logs => {
  const out = emptySyncLogs();
  for (const k of Object.keys(out) as (keyof Logs)[]) (out[k] as unknown[]) = [...(a[k] as unknown[]), ...(b[k] as unknown[])];
  return out;
};

export interface SyncRoom {
  publisher: SyncPage;
  receivers: SyncPage[];
  truthNow(): Promise<number>;
  close(): Promise<void>;
}

export class SyncPage {
  logs = emptySyncLogs();
  constructor(
    readonly name: string,
    readonly page: Page,
    readonly context: BrowserContext,
  ) {}
  eval<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }
  async drain(): Promise<Logs> {
    this.logs = merge(this.logs, await this.eval<Logs>('window.__sync.drain()'));
    return this.logs;
  }
}

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(__dirname, 'sync-page.browser.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'chrome120',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0]!.text;
}

export interface RoomOptions {
  receivers: number;
  /** Receiver index whose local clock is skewed (-1: none). */
  skewedReceiver?: number;
  enabled: boolean;
  /** Share the screen before the receivers join (the e2e check does, to be short). */
  screenFirst?: boolean;
  /** Perturbations (default BENCH_HOLDS), and on which side they act (default 'recv': the
   *  receivers' transforms hold frames after reading their stamps; 'send' holds them at the
   *  publisher after stamping, which disturbs congestion control and libwebrtc's own A/V sync). */
  holds?: Record<string, { delayMs: number; jitterMs?: number }>;
  holdSide?: 'send' | 'recv';
  /** Also time the audio through WebAudio analysis graphs (sync-audio.browser.ts); default off. */
  webAudio?: boolean;
}

export async function openSyncRoom(browser: Browser, opts: RoomOptions): Promise<SyncRoom> {
  const server: SpawnedServer = await spawnServer();
  const script = await bundle();
  const http = await serveScriptPage('sync-page.js', script, 'margin:0');
  const origin = http.origin;
  const contexts: BrowserContext[] = [];
  try {
    const host = await newUser(server.url, 'Sync Host');
    const webinar = await createWebinar(server.url, host, 'Sync bench');
    const open = async (name: string, user: typeof host): Promise<SyncPage> => {
      const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
      contexts.push(context);
      await context.exposeBinding('__syncTicket', () => joinWebinar(server.url, user, webinar.id));
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[${name}] ${e.message}`));
      await page.goto(origin);
      await page.waitForFunction('!!window.__sync');
      return new SyncPage(name, page, context);
    };
    const publisher = await open('publisher', host);
    const holds = opts.holds ?? BENCH_HOLDS;
    const holdSide = opts.holdSide ?? 'recv';
    await publisher.eval(`window.__sync.start(${JSON.stringify({ role: 'publisher', holds: holdSide === 'send' ? holds : undefined, webAudio: opts.webAudio })})`);
    await publisher.eval('window.__sync.waitSynced()');
    await publisher.eval('window.__sync.goLive()');
    if (opts.screenFirst) await publisher.eval('window.__sync.startScreen()');
    const receivers: SyncPage[] = [];
    for (let i = 0; i < opts.receivers; i++) {
      const user = await newUser(server.url, `Sync Viewer ${i + 1}`);
      const page = await open(`receiver${i + 1}`, user);
      const start = { role: 'receiver', enabled: opts.enabled, holds: holdSide === 'recv' ? holds : undefined, clockSkew: i === opts.skewedReceiver ? BENCH_CLOCK_SKEW : undefined, webAudio: opts.webAudio };
      await page.eval(`window.__sync.start(${JSON.stringify(start)})`);
      receivers.push(page);
    }
    return {
      publisher,
      receivers,
      truthNow: () => publisher.eval<number>('window.__sync.truthNow()'),
      async close() {
        for (const c of contexts) await c.close().catch(() => {});
        http.close();
        await server.stop();
      },
    };
  } catch (err) {
    for (const c of contexts) await c.close().catch(() => {});
    http.close();
    await server.stop();
    throw err;
  }
}

// ---- analysis ---------------------------------------------------------------------------------------

export interface Window {
  from: number;
  to: number;
}

/** Audio presentation delays at one receiver: each detected onset matched to the emitted pulse. */
export function audioDelays(pub: Logs, rec: Logs): { at: number; d: number }[] {
  const emits = [...pub.onsets].sort((a, b) => a.at - b.at);
  const out: { at: number; d: number }[] = [];
  for (const o of rec.onsets) {
    let match: { at: number; f: number } | null = null;
    for (const e of emits) {
      if (e.at > o.at + 2) break;
      if (e.f === o.f && e.at >= o.at - 970) match = e;
    }
    if (match) out.push({ at: o.at, d: o.at - match.at });
  }
  return out;
}

export interface PairSeries {
  cameraAudio: { at: number; skew: number }[];
  screenAudio: { at: number; skew: number }[];
  screenCamera: { at: number; skew: number }[];
  chatAudio: { at: number; skew: number }[];
  audio: { at: number; d: number }[];
  /** Frame observations left out: their pixels were a newer frame than their metadata's (sync-frames.ts). */
  framesDiscarded: Logs['frames'];
}

export function pairSeries(pub: Logs, rec: Logs): PairSeries {
  const audio = audioDelays(pub, rec);
  const { kept, discarded } = matchedFrames(rec.frames);
  const frames = { camera: kept.filter((f) => f.kind === 'camera'), screen: kept.filter((f) => f.kind === 'screen') };
  const videoDelayAt = (kind: 'camera' | 'screen', t: number, win = 50) => {
    const near = frames[kind].filter((f) => Math.abs(f.at - t) <= win).map((f) => f.at - f.cap);
    return near.length ? median(near) : null;
  };
  const vsAudio = (kind: 'camera' | 'screen') =>
    audio.flatMap((a) => {
      const v = videoDelayAt(kind, a.at);
      return v === null ? [] : [{ at: a.at, skew: v - a.d }];
    });
  const screenCamera = frames.screen.flatMap((s) => {
    let best: { at: number; cap: number } | null = null;
    for (const c of frames.camera) if (Math.abs(c.at - s.at) <= 20 && (!best || Math.abs(c.at - s.at) < Math.abs(best.at - s.at))) best = c;
    return best ? [{ at: s.at, skew: s.at - s.cap - (best.at - best.cap) }] : [];
  });
  const sent = new Map(pub.chats.map((c) => [c.text, c.at]));
  const chatAudio = rec.chats.flatMap((c) => {
    const sentAt = sent.get(c.text);
    if (sentAt === undefined) return [];
    const near = audio.filter((a) => Math.abs(a.at - c.at) <= 1_500).map((a) => a.d);
    if (!near.length) return [];
    return [{ at: c.at, skew: c.at - (sentAt + median(near)) }];
  });
  return { cameraAudio: vsAudio('camera'), screenAudio: vsAudio('screen'), screenCamera, chatAudio, audio, framesDiscarded: discarded };
}

const inWindow = <T extends { at: number }>(xs: T[], w: Window) => xs.filter((x) => x.at >= w.from && x.at < w.to);
const round = (x: number) => Math.round(x * 10) / 10;

export function skewSummary(xs: number[]) {
  if (!xs.length) return { n: 0, p50: null, p95: null, max: null, absP95: null };
  const s = summary(xs);
  const abs = summary(xs.map(Math.abs));
  return { n: s.n, p50: round(s.p50), p95: round(s.p95), max: round(xs.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0)), absP95: round(abs.p95) };
}

export function pairReport(pub: Logs, recs: Logs[], w: Window) {
  const all = recs.map((r) => pairSeries(pub, r));
  const pick = (k: keyof Omit<PairSeries, 'audio' | 'framesDiscarded'>, series = all) => series.flatMap((s) => inWindow(s[k], w).map((x) => x.skew));
  // The same pairs with audio timed through a WebAudio analysis graph instead of the element.
  const viaWebAudio = recs.map((r) => pairSeries({ ...pub, onsets: pub.webAudioOnsets }, { ...r, onsets: r.webAudioOnsets }));
  return {
    cameraAudio: skewSummary(pick('cameraAudio')),
    screenAudio: skewSummary(pick('screenAudio')),
    screenCamera: skewSummary(pick('screenCamera')),
    chatAudio: skewSummary(pick('chatAudio')),
    audioDelayMs: skewSummary(all.flatMap((s) => inWindow(s.audio, w).map((x) => x.d))),
    // Frame observations left out because their pixels were a newer frame than their metadata's.
    framesDiscarded: all.map((s) => countByKind(inWindow(s.framesDiscarded, w))),
    webAudioPath: { cameraAudio: skewSummary(pick('cameraAudio', viaWebAudio)), screenAudio: skewSummary(pick('screenAudio', viaWebAudio)) },
  };
}

/**
 * Per receiver, per video kind: the freezes Chromium counted over the whole run (inbound-rtp
 * freezeCount / totalFreezesDuration, a frame shown ≥ 3 frame intervals or 150 ms longer than
 * usual) and the key frames it asked for (PLI + FIR), from the last reading of each stream.
 */
export function videoFreezeReport(recs: Logs[]) {
  return recs.map((r) => {
    const out: Record<string, { freezes: number; freezeMs: number; keyFrameRequests: number }> = {};
    for (const { kind, readings } of inboundVideoStreams(r.rtp)) {
      const x = readings[readings.length - 1]!;
      const o = (out[kind] ??= { freezes: 0, freezeMs: 0, keyFrameRequests: 0 });
      o.freezes += x.freezes;
      o.freezeMs += x.freezeMs;
      o.keyFrameRequests += x.plis;
    }
    return out;
  });
}

/** The samples of a pair's series in [since, until), each marked bad when the median |skew| of the
 *  1-s window around it exceeds `tol`. */
function inSyncMarks(series: { at: number; skew: number }[], since: number, until: number, tol: number) {
  const xs = series.filter((x) => x.at >= since && x.at < until);
  return xs.map((x) => ({ at: x.at, bad: median(xs.filter((y) => y.at >= x.at - 500 && y.at <= x.at + 500).map((y) => Math.abs(y.skew))) > tol }));
}

/**
 * Time from `since` until the pair's |skew| settles within `tol`: the first instant after which the
 * median of every 1-s window of samples stays within tolerance up to `until`. null: never.
 */
export function convergence(series: { at: number; skew: number }[], since: number, until: number, tol = 20): number | null {
  const xs = inSyncMarks(series, since, until, tol);
  if (xs.length < 4) return null;
  const lastBad = xs.map((x) => x.bad).lastIndexOf(true);
  if (lastBad === xs.length - 1) return null;
  return lastBad < 0 ? Math.max(0, xs[0]!.at - since) : xs[lastBad + 1]!.at - since;
}

/**
 * Time from `since` until the pair's |skew| first reaches `tol` and holds for `holdMs` (it may be
 * knocked out again later, e.g. by the camera's wandering delay: `convergence` counts that, this
 * does not). null: never.
 */
export function firstInSync(series: { at: number; skew: number }[], since: number, until: number, tol = 20, holdMs = 1_000): number | null {
  const xs = inSyncMarks(series, since, until, tol);
  const i = xs.findIndex((x) => !x.bad && xs.every((y) => y.at < x.at || y.at > x.at + holdMs || !y.bad) && xs[xs.length - 1]!.at >= x.at + holdMs);
  return i < 0 ? null : xs[i]!.at - since;
}

export function clockReport(recs: Logs[], w: Window) {
  const errs = recs.map((r) => inWindow(r.clock, w).map((c) => Math.abs(c.err)));
  return {
    all: skewSummary(errs.flat()),
    perReceiver: errs.map((e) => skewSummary(e)),
  };
}

export function addedDelayReport(recs: Logs[], w: Window) {
  const added = recs.flatMap((r) => inWindow(r.sync, w).map((s) => s.added));
  const states = recs.flatMap((r) => inWindow(r.sync, w).map((s) => s.state));
  const count: Record<string, number> = {};
  for (const s of states) count[s] = (count[s] ?? 0) + 1;
  return { addedMs: added.length ? { p50: summary(added).p50, max: Math.max(...added) } : null, states: count };
}

/**
 * Per receiver: the median delay of its audio (by the bench's truth: tone onsets played against
 * captured) in the ON window minus that in the OFF window, ms. The audio is the stream alignment
 * raises furthest (to the slowest video), so this is the delay alignment added as a listener has
 * it; `addedDelayReport` is the synchronizer's own reckoning (its floored delay − what it takes for
 * the natural delay), which can miss where it misjudged the natural delay.
 */
export function audioAddedByTruth(pub: Logs, recs: Logs[], on: Window, off: Window) {
  return recs.map((r) => {
    const audio = pairSeries(pub, r).audio;
    const [a, b] = [on, off].map((w) => inWindow(audio, w).map((x) => x.d));
    return a!.length && b!.length ? round(median(a!) - median(b!)) : null;
  });
}

/**
 * Per receiver and video kind, over the window: the median of (the delay the synchronizer measured
 * for a presented frame − the delay the bench read from its pixels), ms. Within a few ms when the
 * apparatus and the app agree (−1 to −5 in 48 runs); one run right after a CI run (load 4) read the
 * screen 18 ms later than its pixels, both receivers alike, so the publisher's canvas capture had sent
 * a newer paint than its capture time: such a run's screen figures are the apparatus's, not the app's.
 */
export function probeAgreementReport(recs: Logs[], w: Window) {
  return recs.map((r) => {
    const out: Record<string, number | null> = {};
    for (const kind of ['camera', 'screen'] as const) {
      const app = new Map(inWindow(r.samples, w).filter((x) => x.kind === kind).map((x) => [Math.round(x.at), x.d]));
      const diffs: number[] = [];
      for (const f of inWindow(r.frames, w)) {
        if (f.kind !== kind) continue;
        const d = app.get(Math.round(f.at));
        if (d !== undefined) diffs.push(d - (f.at - f.cap));
      }
      out[kind] = diffs.length ? Math.round(median(diffs) * 10) / 10 : null;
    }
    return out;
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** While `ms` passes, the publisher sends a chat message every `everyMs`. */
export async function runWithChat(room: SyncRoom, ms: number, everyMs = 1_500): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await room.publisher.eval('window.__sync.sendChat()');
    await sleep(Math.min(everyMs, Math.max(0, until - Date.now())));
  }
}
