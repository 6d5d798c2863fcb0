/**
 * The job-timeout wait of the run protocol (RunEntryOptions.sleep), under the test's control: it
 * never ends by itself, and a test arms it to strike the next run once a condition holds (e.g. once
 * the simulator has received ten of fifty invoices), so that a run is cut off half-way without any
 * real waiting and without depending on how fast this machine is.
 */
export class JobTimeoutSwitch {
  #armed: (() => boolean) | undefined;
  #struck = 0;

  /** Cut off the next run as soon as `when` holds (checked every few milliseconds while it runs). */
  armOnce(when: () => boolean): void {
    this.#armed = when;
  }

  /** How many runs were cut off. */
  get struck(): number {
    return this.#struck;
  }

  readonly sleep = (_ms: number, signal: AbortSignal): Promise<void> => {
    const when = this.#armed;
    if (when === undefined) return new Promise(() => undefined);
    this.#armed = undefined;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        if (signal.aborted) return clearInterval(timer);
        if (!when()) return;
        clearInterval(timer);
        this.#struck += 1;
        resolve();
      }, 2);
    });
  };
}
