import "server-only";
import { TimeoutError, TooManyRequestsError } from "../errors";

export type Release = () => void;

type Waiter = { grant: (release: Release) => void; fail: (error: unknown) => void };

/**
 * A counting semaphore with a short, bounded FIFO queue: up to `limit` holders at once,
 * up to `queueLimit` callers waiting, and everyone beyond that is turned away (429) at once,
 * so a burst never piles up unbounded work in memory.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    private limit: number,
    private queueLimit: number,
  ) {}

  /** Limits come with every invocation (settings may change); raising them admits waiters. */
  setLimits(limit: number, queueLimit: number): void {
    this.limit = Math.max(1, limit);
    this.queueLimit = Math.max(0, queueLimit);
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()!.grant(this.releaser());
    }
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with TooManyRequestsError
   * when the queue is full, TimeoutError when waiting longer than `waitMs`, or the signal's
   * reason when the caller gives up.
   */
  acquire(what: string, waitMs: number, signal?: AbortSignal): Promise<Release> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.queueLimit) {
      return Promise.reject(
        new TooManyRequestsError(
          `${what} is busy: ${this.active} requests are running and ${this.waiters.length} are queued ` +
            `(concurrency ${this.limit}, queue ${this.queueLimit}). Retry shortly or raise the function's limits.`,
        ),
      );
    }
    return new Promise<Release>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: (release) => {
          leave();
          resolve(release);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(signal!.reason ?? new DOMException("The request was aborted.", "AbortError"));
      const timer = setTimeout(
        () => waiter.fail(new TimeoutError(`${what} did not get a free slot within ${waitMs} ms (all ${this.limit} busy).`)),
        waitMs,
      );
      timer.unref?.();
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.active <= this.limit ? this.waiters.shift() : undefined;
      // Hand the slot straight to the next waiter so a newcomer cannot jump the queue.
      if (next) next.grant(this.releaser());
      else this.active--;
    };
  }
}
