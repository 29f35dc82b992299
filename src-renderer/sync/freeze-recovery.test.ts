import { describe, expect, it } from 'vitest';
import { FreezeRecovery } from './freeze-recovery';

function harness() {
  let now = 0;
  let visible = true;
  const requested: string[] = [];
  const r = new FreezeRecovery({ requestKeyFrame: (id) => requested.push(id), now: () => now, visible: () => visible });
  /** Frames of `ids` arrive every 33 ms for `ms`; those in `showing` are shown; check() every 50 ms. */
  const play = (ms: number, ids: string[], showing: string[]) => {
    for (const end = now + ms; now < end; now++) {
      if (now % 33 === 0) for (const id of ids) r.arrived(id);
      if (now % 33 === 10) for (const id of showing) r.shown(id);
      if (now % 50 === 0) r.check();
    }
  };
  return { r, requested, play, setVisible: (v: boolean) => (visible = v) };
}

describe('FreezeRecovery', () => {
  it('asks for a key frame for the watched video that stopped being shown, not for the others', () => {
    const h = harness();
    h.r.watch('cam');
    h.r.watch('screen');
    h.play(2_000, ['cam', 'screen', 'audio'], ['cam', 'screen']);
    expect(h.requested).toEqual([]);
    h.play(1_000, ['cam', 'screen', 'audio'], ['screen']);
    expect(h.requested).toEqual(['cam']);
    expect(h.r.keyFrameRequests).toBe(1);
  });

  it('a hidden page presents nothing and is not stalled, also right after it shows again', () => {
    const h = harness();
    h.r.watch('cam');
    h.play(1_000, ['cam'], ['cam']);
    h.setVisible(false);
    h.play(3_000, ['cam'], []);
    h.setVisible(true);
    h.play(500, ['cam'], ['cam']);
    expect(h.requested).toEqual([]);
  });

  it('a forgotten video is not watched', () => {
    const h = harness();
    h.r.watch('cam');
    h.r.forget('cam');
    h.play(3_000, ['cam'], []);
    expect(h.requested).toEqual([]);
  });
});
