import { describe, expect, it } from 'vitest';
import { ClockEstimator } from './clock-estimator';
import { eventMediaTime, pairSkews, presentationDelay, presentedMediaTime, skewFromPresented, skewMs, toLocalTime, toSessionTime } from './media-timeline';

describe('media timeline', () => {
  it('converts between local and session time through the estimator', () => {
    const est = new ClockEstimator();
    est.addSample({ t0: 1_000, serverTime: 4_705, t1: 1_010 }); // offset +3700
    expect(toSessionTime(est, 2_000)).toBe(5_700);
    expect(toLocalTime(est, 5_700)).toBeCloseTo(2_000, 9);
  });

  it('delay, presented media time and event media time', () => {
    expect(presentationDelay(10_000, 9_850)).toBe(150);
    expect(presentedMediaTime(10_000, 150)).toBe(9_850);
    expect(eventMediaTime(10_000, null)).toBe(10_000); // publisher / not measured yet: live
    expect(eventMediaTime(10_000, 220)).toBe(9_780); // viewer
    expect(eventMediaTime(10_000, -5)).toBe(10_000);
  });

  it('skew sign: positive when the first stream lags', () => {
    expect(skewMs(210, 60)).toBe(150);
    // At one instant the screen shows capture 9_790, audio 9_940: the screen lags by 150.
    expect(skewFromPresented(9_790, 9_940)).toBe(150);
  });

  it('pairs in the issue naming, skipping unmeasured streams', () => {
    const skews = pairSkews(
      new Map<string, number | null>([
        ['audio', 60],
        ['camera', 140],
        ['screen', 210],
        ['other', null],
      ]),
    );
    expect(skews.map((s) => [s.pair, s.skewMs])).toEqual([
      ['screen-camera', 70],
      ['screen-audio', 150],
      ['camera-audio', 80],
    ]);
  });
});
