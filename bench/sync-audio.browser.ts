/**
 * The sync bench pages' audio: the publisher's tone pulses and their detection at both ends.
 *
 * Pulses: a WebAudio oscillator gated into 60 ms tone pulses every 250 ms, cycling through 4
 * frequencies (so a pulse is identified unambiguously within 1 s). The publisher times what it emits
 * with the detector on the gate itself (context time → truth clock through getOutputTimestamp).
 *
 * At a receiver the question is when the listener hears each pulse. The app plays remote audio in an
 * <audio> element, whose sink is fed by the track: a sample is heard when the track delivers it plus
 * the element sink's playout delay. So the receiver detects onsets in the samples the track delivers
 * (MediaStreamTrackProcessor: each chunk with its delivery time) and adds the sink's playout delay as
 * the browser reports it (getStats 'media-playout', the same figure the aligner uses, measured here
 * on its own). What is independent of the aligner: which sample is the onset, matched to the emitted
 * pulse by truth time, against the aligner's RTP-timestamp → capture-time mapping.
 *
 * With BENCH_SYNC_WEBAUDIO=1 the same onsets detected through a WebAudio MediaStreamSource are
 * logged too (`webAudioOnsets`; off by default, as each analysis graph is one more real-time audio
 * thread on the bench machine's cores). That path is another consumer of the track, and its timing
 * describes the analysis graph rather than the element: with the analysis context's base latency at
 * 10 ms it read ~10 ms earlier than the element path, at 21 ms ('playback') ~33 ms later, and its
 * FIFO phase changes run to run.
 */
import { playoutTotals } from '../src-renderer/sync/aligner';
import { truthOfPerf } from './sync-time-code.browser';

export interface Onset {
  at: number;
  f: number;
}

const FREQS = [600, 900, 1300, 1900];
const PULSE_PERIOD_S = 0.25;
const PULSE_S = 0.06;

/**
 * Onset detector, run both in an AudioWorklet (from its source text, so it must stay self-contained)
 * and on the page: after ≥ 120 ms of quiet, the first sample above 0.05 is an onset; the zero
 * crossings of the next 20 ms identify the pulse's frequency.
 */
const PulseDetector = class {
  quiet = 0;
  collect = -1;
  cross = 0;
  prev = 0;
  onsetFrame = 0;
  constructor(
    readonly rate: number,
    readonly emit: (frame: number, frequencyHz: number) => void,
  ) {}
  push(ch: Float32Array, firstFrame: number): void {
    const window = Math.round(this.rate * 0.02);
    for (let i = 0; i < ch.length; i++) {
      const x = ch[i]!;
      if (this.collect >= 0) {
        if (x >= 0 !== this.prev >= 0) this.cross++;
        this.prev = x;
        if (++this.collect >= window) {
          this.emit(this.onsetFrame, this.cross / 2 / 0.02);
          this.collect = -1;
        }
      }
      if (Math.abs(x) > 0.05) {
        if (this.quiet > this.rate * 0.12 && this.collect < 0) {
          this.onsetFrame = firstFrame + i;
          this.collect = 0;
          this.cross = 0;
          this.prev = x;
        }
        this.quiet = 0;
      } else this.quiet++;
    }
  }
};

const WORKLET = `
const PulseDetector = ${PulseDetector.toString()};
class PulseDetectorNode extends AudioWorkletProcessor {
  constructor() {
    super();
    this.detector = new PulseDetector(sampleRate, (frame, hz) => this.port.postMessage({ frame, hz }));
  }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) this.detector.push(ch, currentFrame);
    return true;
  }
}
registerProcessor('pulse-detector', PulseDetectorNode);
`;

const pulseIndex = (hz: number) => {
  let best = 0;
  for (let i = 1; i < FREQS.length; i++) if (Math.abs(FREQS[i]! - hz) < Math.abs(FREQS[best]! - hz)) best = i;
  return best;
};

let ctx: AudioContext | null = null;
export async function audioContext(): Promise<AudioContext> {
  if (ctx) return ctx;
  ctx = new AudioContext({ sampleRate: 48_000 });
  await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' })));
  if (ctx.state !== 'running') await ctx.resume();
  return ctx;
}

/** Context time → truth epoch, through the context's own output timestamp. */
function truthOfContext(c: AudioContext, contextTime: number): number {
  const ts = c.getOutputTimestamp();
  return truthOfPerf(ts.performanceTime! + (contextTime - ts.contextTime!) * 1000);
}

/** Detects pulse onsets in what `source` renders in context `c`; returns the detector node. */
function detectInGraph(c: AudioContext, source: AudioNode, onOnset: (o: Onset) => void): AudioWorkletNode {
  const node = new AudioWorkletNode(c, 'pulse-detector', { numberOfOutputs: 1, outputChannelCount: [1] });
  node.port.onmessage = (e: MessageEvent<{ frame: number; hz: number }>) => onOnset({ at: truthOfContext(c, e.data.frame / c.sampleRate), f: pulseIndex(e.data.hz) });
  source.connect(node);
  const mute = c.createGain();
  mute.gain.value = 0;
  node.connect(mute).connect(c.destination);
  return node;
}

/**
 * Publisher: the pulse train as an audio track. `onCaptured` gets each pulse when it enters the track
 * (its samples' capture time, as a microphone's would be); `onWebAudio` when the context plays it.
 */
export async function pulseTrack(onCaptured: (o: Onset) => void, onWebAudio: ((o: Onset) => void) | null, note: (what: string) => void): Promise<MediaStreamTrack> {
  const c = await audioContext();
  const osc = c.createOscillator();
  const gate = c.createGain();
  gate.gain.value = 0;
  osc.connect(gate);
  const dest = c.createMediaStreamDestination();
  gate.connect(dest);
  if (onWebAudio) detectInGraph(c, gate, onWebAudio);
  osc.start();
  let k = Math.ceil(c.currentTime / PULSE_PERIOD_S) + 2;
  const schedule = () => {
    while (k * PULSE_PERIOD_S < c.currentTime + 1) {
      const t = k * PULSE_PERIOD_S;
      osc.frequency.setValueAtTime(FREQS[k % FREQS.length]!, t - 0.03);
      gate.gain.setValueAtTime(0.3, t);
      gate.gain.setValueAtTime(0, t + PULSE_S);
      k++;
    }
  };
  schedule();
  setInterval(schedule, 200);
  const track = dest.stream.getAudioTracks()[0]!;
  detectInTrack(track, (perf, f) => onCaptured({ at: truthOfPerf(perf), f }), note);
  return track;
}

interface AudioDataLike {
  timestamp: number;
  numberOfFrames: number;
  sampleRate: number;
  copyTo(dest: Float32Array, opts: { planeIndex: number; format: 'f32-planar' }): void;
  close(): void;
}
declare const MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<AudioDataLike>; discardedFrames?: number };

/** Chunks the track processor may queue for a slow reader (it drops the oldest beyond that). */
const CHUNK_QUEUE = 300;

/**
 * Pulse onsets in the samples a track delivers to its sinks, each reported with the time its sample
 * was delivered (performance timeline, ms): a chunk's AudioData timestamp is its capture time for a
 * local track and its delivery time for a remote one, in µs on the performance timeline. `note`
 * records the read lag once, which checks that, and every 3000 chunks how many the processor
 * dropped. The queue is long (3 s) because the chunks are read on the page's main thread: a chunk
 * dropped while it is busy and holding a pulse's onset would have that pulse heard late and
 * misnamed (its frequency read from its tail), and matched to the wrong pulse, 250–750 ms off: seen
 * a few times a run in bench:sync dumps while its receivers' main threads were busiest. Returns stop.
 */
function detectInTrack(track: MediaStreamTrack, onOnset: (perfMs: number, f: number) => void, note: (what: string) => void): () => void {
  const processor = new MediaStreamTrackProcessor({ track, maxBufferSize: CHUNK_QUEUE });
  const reader = processor.readable.getReader();
  // Recent chunks (first frame index, timestamp): an onset is reported 20 ms after its sample.
  const chunks: { frame: number; perf: number; rate: number }[] = [];
  const timeOf = (frame: number) => {
    const c = [...chunks].reverse().find((x) => x.frame <= frame) ?? chunks[0]!;
    return c.perf + ((frame - c.frame) / c.rate) * 1000;
  };
  let detector: InstanceType<typeof PulseDetector> | null = null;
  let frames = 0;
  let stopped = false;
  const lags: number[] = [];
  let read = 0;
  void (async () => {
    let buf = new Float32Array(0);
    while (!stopped) {
      const { value, done } = await reader.read();
      if (done || !value) break;
      detector ??= new PulseDetector(value.sampleRate, (frame, hz) => onOnset(timeOf(frame), pulseIndex(hz)));
      if (buf.length !== value.numberOfFrames) buf = new Float32Array(value.numberOfFrames);
      value.copyTo(buf, { planeIndex: 0, format: 'f32-planar' });
      const perf = value.timestamp / 1000;
      chunks.push({ frame: frames, perf, rate: value.sampleRate });
      if (chunks.length > 16) chunks.shift();
      read++;
      // The read lag is noted once, from the first 500 chunks; only the count goes on after that.
      if (lags.length < 500) {
        lags.push(performance.now() - perf);
        if (lags.length === 500) note(`${track.id.slice(0, 8)} audio chunk read lag ms: min ${Math.min(...lags).toFixed(2)} p50 ${lags.sort((x, y) => x - y)[250]!.toFixed(2)}`);
      }
      if (read % 3000 === 0) note(`${track.id.slice(0, 8)} audio chunks after ${read}: dropped by the processor ${processor.discardedFrames ?? 'not reported'}`);
      detector.push(buf, frames);
      frames += value.numberOfFrames;
      value.close();
    }
  })();
  return () => {
    stopped = true;
    void reader.cancel().catch(() => {});
  };
}

/**
 * Receiver: plays the remote audio track in a muted element (Chromium pulls remote WebRTC audio only
 * for a sink) and reports the onsets heard through it (`onHeard`) and through a WebAudio graph
 * (`onWebAudio`). `receiverOf` finds the track's RTCRtpReceiver for its playout stats.
 */
export interface AudioWatch {
  receiverOf(track: MediaStreamTrack): RTCRtpReceiver | null;
  onHeard(o: Onset): void;
  /** null: no WebAudio analysis graph. */
  onWebAudio: ((o: Onset) => void) | null;
  /** Diagnostics worth keeping with the logs (the chunk read lag, which checks the timestamp's timeline). */
  note(what: string): void;
}

export function watchAudio(track: MediaStreamTrack, w: AudioWatch): () => void {
  const stops: (() => void)[] = [];
  const el = new Audio();
  el.muted = true;
  el.srcObject = new MediaStream([track]);
  void el.play().catch(() => {});
  stops.push(() => el.remove());

  // The element sink's playout delay, re-measured every second (null until two reports exist).
  let sinkMs: number | null = null;
  let prev: ReturnType<typeof playoutTotals> = null;
  const sinkTimer = setInterval(() => {
    const receiver = w.receiverOf(track);
    if (!receiver) return;
    void receiver.getStats().then((report) => {
      const cur = playoutTotals(report);
      if (cur && prev && cur.samples > prev.samples) sinkMs = ((cur.delayS - prev.delayS) / (cur.samples - prev.samples)) * 1000;
      prev = cur;
    });
  }, 1_000);
  stops.push(() => clearInterval(sinkTimer));

  // Onsets in the delivered samples; pending ones wait for the first sink measurement.
  let stopped = false;
  stops.push(() => (stopped = true));
  const pending: { deliveredPerf: number; f: number }[] = [];
  const heard = (deliveredPerf: number, f: number) => {
    if (sinkMs === null) pending.push({ deliveredPerf, f });
    else {
      for (const p of pending.splice(0)) w.onHeard({ at: truthOfPerf(p.deliveredPerf + sinkMs), f: p.f });
      w.onHeard({ at: truthOfPerf(deliveredPerf + sinkMs), f });
    }
  };
  stops.push(detectInTrack(track, heard, w.note));

  const onWebAudio = w.onWebAudio;
  if (onWebAudio)
    void audioContext().then((c) => {
      if (stopped) return;
      const src = c.createMediaStreamSource(new MediaStream([track]));
      const node = detectInGraph(c, src, onWebAudio);
      stops.push(() => (src.disconnect(), node.disconnect()));
    });
  return () => stops.forEach((s) => s());
}
