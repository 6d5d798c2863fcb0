import type { Clock } from '../../../ports/clock.js';

/** A clock that moves only when told to; the emulator's `advanceTo` moves it from slot to slot. */
export interface SettableClock extends Clock {
  set(at: Date): void;
}

export class ManualClock implements SettableClock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Time never runs backwards. */
  set(at: Date): void {
    this.current = Math.max(this.current, at.getTime());
  }
}

export function isSettableClock(clock: Clock): clock is SettableClock {
  return typeof (clock as Partial<SettableClock>).set === 'function';
}
