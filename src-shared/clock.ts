/** Time as an argument: pure logic and services take a Clock so tests can drive it. */
export interface Clock {
  /** Wall-clock epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
