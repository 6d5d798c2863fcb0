/** The only source of time for the core. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
