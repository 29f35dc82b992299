/**
 * A video's presented delay sits on steps (whole refreshes or frame intervals): which step a delay is
 * on, and how the frames at a step are spread in time. Pure.
 */
import { median, quantile, robustSigma } from './robust-stats';

/** Whether a delay is shown at the step `level` (within an eighth of a step: in bench:sync frames sit
 *  within ±1 ms of theirs). */
export const onStep = (delay: number, level: number, step: number) => Math.abs(delay - level) <= step / 8;

/**
 * How many separate runs, in time order, the delays at the step `level` form. A floor
 * on the edge between two steps (or a render time on it) splits frames one by one, as each frame's
 * render time falls either side; a renderer showing every frame a step later for a moment makes one
 * run. That happened to both videos of a receiver at once in bench:sync (a 30 fps frame later for
 * 0.5 s, their jitter buffers' delay unchanged), and read as a split it moved both floors and raised
 * the pace a frame for good: every stream moved, audio by a time-stretch, for nothing.
 */
export function runsAt(delays: readonly number[], level: number, step: number): number {
  let runs = 0;
  let inRun = false;
  for (const d of delays) {
    const at = onStep(d, level, step);
    if (at && !inRun) runs++;
    inRun = at;
  }
  return runs;
}

/** Separate runs (in time order) the frames a step off must form to count as split from their step
 *  (see runsAt()). */
export const MIN_SPLIT_RUNS = 2;
/** A split is judged on at least this many frames (1.5 s of 30 fps frames). */
export const STEP_SPLIT_MIN_SAMPLES = 45;

/**
 * The upper end of a natural delay's own wander, from its samples and their estimate: their 90th
 * percentile, bounded by 2 robust sigmas above the estimate so that a spike among few samples does
 * not pass for wander. A video (`step`: its frame interval; null for audio) whose frames split
 * between two steps is not spiking: at least a tenth of its frames are a step up, and that step is
 * its upper end (the 2-sigma bound would drop it: with most frames on one step the robust sigma is
 * 0). Seen in bench:sync: a screen on no floor shown at 164 ms with 30 % of its frames at 196 for
 * 30 s, the pace held at 175. Nor is the upper end ever below the median: with most frames on the
 * upper step, the 2-sigma bound (sigma 0) put it at the interquartile mean, between the two steps (a
 * pace of 190 for frames at 166 and 199).
 */
export function naturalUpperEnd(delays: readonly number[], est: number, step: number | null): number {
  const high = quantile(delays, 0.9);
  const mid = median(delays);
  // Fewer frames than a split is judged on cannot tell a split from a run (see runsAt()): they are
  // taken as split.
  const stepUp = step !== null && onStep(high, mid + step, step) && (delays.length < STEP_SPLIT_MIN_SAMPLES || runsAt(delays, mid + step, step) >= MIN_SPLIT_RUNS);
  return Math.max(est, mid, stepUp ? high : Math.min(high, est + 2 * robustSigma(delays)));
}

/** A video whose frames land in a neighbouring step this often sits on a step boundary, judged on at
 *  least STEP_SPLIT_MIN_SAMPLES settled samples. */
const STEP_SPLIT_SHARE = 0.05;
/** The share of samples within an eighth of a step of the usual step or a neighbour, for a video whose
 *  delay sits on its steps (in bench:sync frames sit within ±1 ms of theirs). */
const ON_STEPS_SHARE = 0.9;

/**
 * Which way a video's frames split from their usual step `mid` (see StreamDelayModel.centreInStep):
 * 1 when enough land a step early (in runs, see runsAt()), −1 a step late, 0 neither; the side with
 * more frames wins. null when the delays do not sit on their steps at all: only a delay on its steps
 * is split by a floor, one spread by its own jitter is not.
 */
export function splitDirection(delays: readonly number[], mid: number, step: number): 1 | 0 | -1 | null {
  const share = (at: number) => delays.filter((d) => onStep(d, at, step)).length / delays.length;
  const [below, on, above] = [share(mid - step), share(mid), share(mid + step)];
  if (below + on + above < ON_STEPS_SHARE) return null;
  const early = below > STEP_SPLIT_SHARE && runsAt(delays, mid - step, step) >= MIN_SPLIT_RUNS;
  const late = above > STEP_SPLIT_SHARE && runsAt(delays, mid + step, step) >= MIN_SPLIT_RUNS;
  return early && (!late || below >= above) ? 1 : late ? -1 : 0;
}
