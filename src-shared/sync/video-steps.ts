/**
 * A video's presented delay sits on steps (whole refreshes or frame intervals): which step a delay is
 * on, and how the frames at a step are spread in time. Pure.
 */

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
