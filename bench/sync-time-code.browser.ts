/**
 * The sync bench pages' ground truth: the machine's wall clock with sub-ms precision (shared by all
 * pages), and canvases that paint it as a machine-readable time code, plus the decoder.
 */
import { CODE_COLS, CODE_ROWS, decodeBits, encodeBits } from './sync-code';

// ---- truth clock ------------------------------------------------------------------------------------
export const mono = () => performance.timeOrigin + performance.now();
const corrSamples: number[] = [];
let corr = 0;
function sampleCorr(): void {
  // Date.now() truncates to the ms: the true wall time is in [d, d + 1).
  corrSamples.push(Date.now() + 0.5 - mono());
  if (corrSamples.length > 101) corrSamples.shift();
  const s = [...corrSamples].sort((a, b) => a - b);
  corr = s[Math.floor(s.length / 2)]!;
}
for (let i = 0; i < 21; i++) sampleCorr();
setInterval(sampleCorr, 50);
export const truthNow = () => mono() + corr;
/** A performance-timeline time → truth epoch. */
export const truthOfPerf = (p: number) => performance.timeOrigin + p + corr;

// ---- time-code canvases -----------------------------------------------------------------------------
/** Where the code's cells lie in a w × h frame (its top 60 %): cell size, and each cell's centre. */
function codeLayout(w: number, h: number) {
  const cw = w / CODE_COLS;
  const ch = Math.floor((h * 0.6) / CODE_ROWS);
  return { cw, ch, x: (c: number) => Math.floor(c * cw + cw / 2), y: (r: number) => Math.floor(r * ch + ch / 2) };
}

export function codeCanvas(w: number, h: number, fps: number): { stream: MediaStream; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d')!;
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
  const { cw, ch } = codeLayout(w, h);
  let n = 0;
  const paint = () => {
    const t = truthNow();
    const bits = encodeBits(t);
    g.fillStyle = '#808080';
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#3060c0';
    g.fillRect((n++ * 7) % w, CODE_ROWS * ch + 4, 20, h - CODE_ROWS * ch - 8);
    for (let r = 0; r < CODE_ROWS; r++) {
      for (let c = 0; c < CODE_COLS; c++) {
        g.fillStyle = bits[r * CODE_COLS + c] ? '#ffffff' : '#000000';
        g.fillRect(c * cw, r * ch, cw, ch);
      }
    }
    track.requestFrame();
  };
  // Painted on animation frames (every k-th of the 60 Hz frame clock), not on a timer: a timer beats
  // against the frame clock that canvas capture samples at, which showed as a 33 ms sawtooth in
  // capture-to-presentation delay (rising ~10 ms/s, then one frame back) that no camera has.
  const every = Math.max(1, Math.round(60 / fps));
  let tick = 0;
  let raf = 0;
  const frame = () => {
    if (tick++ % every === 0) paint();
    raf = requestAnimationFrame(frame);
  };
  raf = requestAnimationFrame(frame);
  return { stream, stop: () => (cancelAnimationFrame(raf), track.stop()) };
}

export function decodeFrom(video: HTMLVideoElement, canvas: HTMLCanvasElement, g: CanvasRenderingContext2D): number | null {
  const w = canvas.width;
  const h = canvas.height;
  g.drawImage(video, 0, 0, w, h);
  const img = g.getImageData(0, 0, w, Math.ceil(h * 0.6)).data;
  const at = codeLayout(w, h);
  const bits: boolean[] = [];
  for (let r = 0; r < CODE_ROWS; r++) {
    for (let c = 0; c < CODE_COLS; c++) {
      const i = (at.y(r) * w + at.x(c)) * 4;
      bits.push((img[i]! + img[i + 1]! + img[i + 2]!) / 3 > 128);
    }
  }
  return decodeBits(bits, truthNow());
}

/**
 * The time code of the frame `video` shows, read from its luma plane: the frame is taken as a
 * VideoFrame and only the code's rows are copied, in the decoder's own format. Drawing the frame
 * into a canvas instead (decodeFrom) converts and scales the whole frame to RGB on the page's main
 * thread: 42 % of a bench receiver's main thread in a 10 s profile (this way, 5 %), a load the app's
 * own rendering does not carry and that slowed what the bench measures.
 * undefined (known at once, before anything else is shown): the frame is not planar YUV, and
 * decodeFrom is to read it.
 */
export function decodeLuma(video: HTMLVideoElement): Promise<number | null> | undefined {
  let frame: VideoFrame;
  try {
    frame = new VideoFrame(video);
  } catch {
    return Promise.resolve(null); // no frame to show yet
  }
  if (!frame.format || !['I420', 'I420A', 'NV12'].includes(frame.format)) {
    frame.close();
    return undefined;
  }
  return readCode(frame).finally(() => frame.close());
}

async function readCode(frame: VideoFrame): Promise<number | null> {
  const vis = frame.visibleRect!;
  const at = codeLayout(vis.width, vis.height);
  // Only the two rows through each code row's centre are copied (a rect's corners must be even for
  // the subsampled chroma).
  const bits: boolean[] = [];
  for (let r = 0; r < CODE_ROWS; r++) {
    const y = at.y(r);
    const rect = { x: vis.x, y: vis.y + y - (y % 2), width: vis.width, height: 2 };
    const buf = new Uint8Array(frame.allocationSize({ rect }));
    const [luma] = await frame.copyTo(buf, { rect });
    for (let c = 0; c < CODE_COLS; c++) bits.push(buf[luma!.offset + (y % 2) * luma!.stride + at.x(c)]! > 128);
  }
  return decodeBits(bits, truthNow());
}
