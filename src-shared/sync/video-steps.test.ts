import { describe, expect, it } from 'vitest';
import { onStep, runsAt } from './video-steps';

describe('video steps', () => {
  it('a delay is on a step within an eighth of the step', () => {
    expect(onStep(136, 133, 33)).toBe(true);
    expect(onStep(138, 133, 33)).toBe(false);
  });

  it('counts the separate runs of frames at a step, in time order', () => {
    // Split one by one (a floor on an edge) against one block (the renderer a frame later for a moment).
    expect(runsAt([100, 133, 100, 133, 100, 133], 133, 33)).toBe(3);
    expect(runsAt([100, 100, 133, 133, 133, 100], 133, 33)).toBe(1);
    expect(runsAt([100, 100], 133, 33)).toBe(0);
  });
});
