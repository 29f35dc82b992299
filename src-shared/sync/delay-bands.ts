/**
 * How far a stream's measured delay must be off before the DelayController acts. Pure.
 */
import { VIDEO_DEADBAND_PER_REFRESH, type DelayControllerOptions } from './delay-controller-options';
import type { StreamDelayModel } from './stream-delay-model';

type Options = Required<DelayControllerOptions>;
type Estimated = Pick<StreamDelayModel, 'estimateSe' | 'sampleIntervalMs'>;

/** Errors within 3 standard errors of the estimate are noise, not worth acting on: the test is
 *  repeated at every update, so a looser band would fire on noise every few seconds. The standard
 *  error comes from block means (see blockStandardError): delays are correlated over seconds. */
export function deadband(o: Options, s: Estimated): number {
  return Math.max(o.deadbandMs, 3 * s.estimateSe);
}

/**
 * A video's delay moves in whole steps: a refresh, or a frame interval when frames come less often
 * than refreshes (Chromium's renderer keeps a steady cadence, e.g. each 30 fps frame on two 60 Hz
 * refreshes, so its delay takes values a frame interval apart: 33 ms seen in bench:sync and the
 * e2e check, where a refresh-sized band made video targets hunt). The band is a fraction of the
 * larger (VIDEO_DEADBAND_PER_REFRESH), never below the stream's own noise band.
 */
export function videoBand(o: Options, s: Estimated): number {
  return Math.max(o.videoDeadbandMs, VIDEO_DEADBAND_PER_REFRESH * (s.sampleIntervalMs ?? 0), deadband(o, s));
}
