/**
 * A fixed number of worker threads at once: each holds a parsed document and a canvas, so a burst of requests
 * waits for a free slot rather than multiplying that memory.
 */
export class WorkerSlots {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** Waits for a free slot until `deadline`; false if none came free in time. */
  acquire(deadline: number): Promise<boolean> {
    if (this.busy < this.max) {
      this.busy += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        resolve(false);
      }, deadline - Date.now());
      this.waiting.push(grant);
    });
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy -= 1;
  }
}
