/**
 * The machine-readable time code the sync benchmark paints on the publisher's canvases and decodes
 * at the receivers: 40 cells (4 rows × 10), black/white, carrying the low 32 bits of an epoch
 * millisecond time and an 8-bit check. Big cells survive VP8 at small sizes. Pure, DOM-free.
 */
export const CODE_ROWS = 4;
export const CODE_COLS = 10;

function check(v: number): number {
  return ((v & 0xff) + ((v >>> 8) & 0xff) + ((v >>> 16) & 0xff) + ((v >>> 24) & 0xff)) & 0xff ^ 0xa5;
}

/** The 40 bits (row-major) for epoch time `ms`. */
export function encodeBits(ms: number): boolean[] {
  const v = Math.floor(ms) >>> 0;
  const c = check(v);
  const bits: boolean[] = [];
  for (let i = 31; i >= 0; i--) bits.push(((v >>> i) & 1) === 1);
  for (let i = 7; i >= 0; i--) bits.push(((c >>> i) & 1) === 1);
  return bits;
}

/** Decodes 40 bits back to an epoch time near `nearMs`; null when the check fails. */
export function decodeBits(bits: readonly boolean[], nearMs: number): number | null {
  if (bits.length !== 40) return null;
  let v = 0;
  for (let i = 0; i < 32; i++) v = ((v << 1) | (bits[i] ? 1 : 0)) >>> 0;
  let c = 0;
  for (let i = 32; i < 40; i++) c = (c << 1) | (bits[i] ? 1 : 0);
  if (c !== check(v)) return null;
  const span = 2 ** 32;
  const base = nearMs - (((nearMs % span) + span) % span);
  let best = base + v;
  for (const cand of [base + v - span, base + v + span]) if (Math.abs(cand - nearMs) < Math.abs(best - nearMs)) best = cand;
  return best;
}

/** What a bench page records and hands to Node: the raw observations the figures come from. */
export interface SyncLogs {
  /** Presented frames: when shown (expectedDisplayTime), the capture time read from its pixels, and
   *  the RTP timestamp of the frame the callback's metadata is about (null where not reported). */
  frames: { kind: 'camera' | 'screen'; at: number; cap: number; rtp: number | null }[];
  /** Pulse onsets: the publisher's as emitted; a receiver's as heard through its <audio> element. */
  onsets: { at: number; f: number }[];
  /** A receiver's onsets as seen through a WebAudio analysis graph (reported alongside, see sync-audio.browser.ts). */
  webAudioOnsets: { at: number; f: number }[];
  chats: { text: string; at: number; mediaTime: number | null }[];
  clock: { at: number; err: number; bound: number }[];
  sync: { at: number; state: string; added: number; delays: Record<string, number | null>; targets: Record<string, number>; arrivals: Record<string, number | null> }[];
  events: { at: number; what: string }[];
  /** Every delay sample the aligner fed its controller (kind, truth-clock time, delay ms). */
  samples: { kind: string; at: number; d: number }[];
  /** RTP statistics every 250 ms (see RtpStreamSample): receivers' inbound video and audio, the
   *  publisher's outbound video per connection. For diagnosing freezes and jitter-buffer moves. */
  rtp: RtpStreamSample[];
}

/** Logs with nothing recorded yet: the page's at start and after each drain, and Node's to merge into. */
export const emptySyncLogs = (): SyncLogs => ({ frames: [], onsets: [], webAudioOnsets: [], chats: [], clock: [], sync: [], events: [], samples: [], rtp: [] });

/** One getStats() reading of one RTP stream (video or audio inbound at a receiver, video outbound at
 *  the publisher). */
export interface RtpStreamSample {
  at: number;
  dir: 'in' | 'out';
  /** Which connection of the page (its order of creation). */
  pc: number;
  kind: 'camera' | 'screen' | 'audio' | null;
  /** Frames received/decoded (in) or encoded/sent (out), key frames among them, PLIs sent (in) or received (out). */
  frames: number;
  decoded: number;
  keyFrames: number;
  plis: number;
  nacks: number;
  lost: number;
  freezes: number;
  freezeMs: number;
  /** Inbound, cumulative (s, and the count they are summed over): the jitter buffer's delay, its
   *  target and the minimum it was held to (jitterBufferTarget and lip-sync), per frame or sample
   *  emitted. Differences between readings give each 250 ms's averages: whether a stream's delay moved
   *  because its buffer's own target moved, and whether our floor was what held it. */
  jb?: { delay: number; target: number; minimum: number; emitted: number };
}

/** Each inbound video stream's readings (one per connection and kind), in the order logged. */
export function inboundVideoStreams(rtp: readonly RtpStreamSample[]): { kind: 'camera' | 'screen'; readings: RtpStreamSample[] }[] {
  const streams = new Map<string, { kind: 'camera' | 'screen'; readings: RtpStreamSample[] }>();
  for (const x of rtp) {
    if (x.dir !== 'in' || (x.kind !== 'camera' && x.kind !== 'screen')) continue;
    const key = `${x.pc}:${x.kind}`;
    let s = streams.get(key);
    if (!s) streams.set(key, (s = { kind: x.kind, readings: [] }));
    s.readings.push(x);
  }
  return [...streams.values()];
}
