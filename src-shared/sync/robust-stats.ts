/**
 * Small robust statistics shared by the sync modules. Pure, allocation-light, no dependencies.
 *
 * Why robust: presentation-delay and ping samples have heavy tails (a GC pause, a retransmission, a
 * frame held back by the compositor), so a mean is dragged by one spike while a median is not.
 */

/** Median of the values; NaN for an empty list. Does not modify its argument. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median absolute deviation scaled by 1.4826, a consistent estimator of the standard deviation for
 * Gaussian data that ignores outliers. 0 for fewer than two values.
 */
export function robustSigma(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/**
 * Standard error of a sample median: ≈ 1.2533 · σ / √n for Gaussian data. Used to size deadbands:
 * a median moving by less than about twice this is noise, not a change worth acting on.
 */
export function medianStandardError(values: readonly number[]): number {
  if (values.length < 2) return 0;
  return (1.2533 * robustSigma(values)) / Math.sqrt(values.length);
}

/** The q-quantile (0 ≤ q ≤ 1) of the values, interpolating between order statistics; NaN if empty. */
export function quantile(values: readonly number[], q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Mean of the values left after dropping the lowest and highest `trim` fraction (0.25: the
 * interquartile mean). As robust to spikes as a median while nearly as efficient as a mean; the
 * median wastes two thirds of the information when the noise is uniform (frame-quantised delays).
 * NaN for an empty list.
 */
export function trimmedMean(values: readonly number[], trim = 0.25): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const k = Math.min(Math.floor(n * trim), Math.floor((n - 1) / 2));
  let sum = 0;
  for (let i = k; i < n - k; i++) sum += sorted[i]!;
  return sum / (n - 2 * k);
}

/**
 * Standard error of trimmedMean (Tukey & McLaughlin 1963): winsorized standard deviation divided by
 * (1 − 2·trim)·√n. 0 for fewer than two values.
 */
export function trimmedMeanStandardError(values: readonly number[], trim = 0.25): number {
  const n = values.length;
  if (n < 2) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const k = Math.min(Math.floor(n * trim), Math.floor((n - 1) / 2));
  const lo = sorted[k]!;
  const hi = sorted[n - 1 - k]!;
  const w = sorted.map((v) => Math.min(hi, Math.max(lo, v)));
  const mean = w.reduce((a, b) => a + b, 0) / n;
  const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return Math.sqrt(variance) / ((1 - 2 * (k / n)) * Math.sqrt(n));
}

/**
 * Standard error of the mean delay, from the means of 500 ms blocks: presentation delays are not
 * independent frame to frame (video drifts against vsync for a second or two, then steps), so the
 * per-sample formula would claim a precision the data do not have. With fewer than 3 blocks, twice
 * the per-sample estimate stands in.
 */
export function blockStandardError(samples: readonly { at: number; delay: number }[], blockMs = 500): number {
  if (samples.length < 2) return 0;
  const blocks = new Map<number, number[]>();
  for (const s of samples) {
    const k = Math.floor(s.at / blockMs);
    const list = blocks.get(k);
    if (list) list.push(s.delay);
    else blocks.set(k, [s.delay]);
  }
  const means = [...blocks.values()].map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  };
  if (means.length >= 3) return sd(means) / Math.sqrt(means.length);
  const all = samples.map((s) => s.delay);
  return (2 * sd(all)) / Math.sqrt(all.length);
}

export interface WeightedPoint {
  x: number;
  y: number;
  w: number;
}

export interface LineFit {
  slope: number;
  /** y of the fitted line at x = xMean. */
  yAtMean: number;
  xMean: number;
}

/** Weighted least-squares line; null when fewer than two points or all x equal. */
export function weightedLineFit(points: readonly WeightedPoint[]): LineFit | null {
  if (points.length < 2) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sw += p.w;
    sx += p.w * p.x;
    sy += p.w * p.y;
  }
  if (!(sw > 0)) return null;
  const xMean = sx / sw;
  const yMean = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.x - xMean;
    sxx += p.w * dx * dx;
    sxy += p.w * dx * (p.y - yMean);
  }
  if (!(sxx > 0)) return null;
  return { slope: sxy / sxx, yAtMean: yMean, xMean };
}

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
