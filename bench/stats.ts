/** Percentiles over samples (nearest-rank), rounded for JSON output. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summary(samples: readonly number[]): { n: number; p50: number; p95: number; max: number } {
  const round = (x: number) => Math.round(x * 100) / 100;
  return { n: samples.length, p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), max: round(Math.max(...samples)) };
}
