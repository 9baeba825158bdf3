import "server-only";
import { config } from "../config";

/**
 * Runs build jobs: one at a time per function (in upload order), and at most
 * config.limits.buildConcurrency at once across functions. One queue per process.
 */
class BuildQueue {
  private running = 0;
  private readonly waitingForSlot: Array<() => void> = [];
  private readonly tails = new Map<string, Promise<void>>();
  private readonly jobs = new Map<string, Promise<void>>();

  constructor(private readonly limit: number) {}

  enqueue(functionId: string, deploymentId: string, job: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(functionId) ?? Promise.resolve();
    const done = previous.then(() => this.inSlot(job));
    const tail = done.catch(() => {});
    this.tails.set(functionId, tail);
    this.jobs.set(deploymentId, tail);
    void tail.then(() => {
      if (this.tails.get(functionId) === tail) this.tails.delete(functionId);
      this.jobs.delete(deploymentId);
    });
    return done;
  }

  /** Resolves when the deployment's build job (if this process runs it) has finished. */
  whenDone(deploymentId: string): Promise<void> | undefined {
    return this.jobs.get(deploymentId);
  }

  /** Resolves when the function has no queued or running build in this process. */
  async whenFunctionIdle(functionId: string): Promise<void> {
    while (this.tails.has(functionId)) await this.tails.get(functionId);
  }

  /** Resolves when every queued build has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private async inSlot(job: () => Promise<void>): Promise<void> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
    this.running++;
    try {
      await job();
    } finally {
      this.running--;
      this.waitingForSlot.shift()?.();
    }
  }
}

const g = globalThis as unknown as { __dartCloudBuildQueue?: BuildQueue };
export function getBuildQueue(): BuildQueue {
  g.__dartCloudBuildQueue ??= new BuildQueue(config.limits.buildConcurrency);
  return g.__dartCloudBuildQueue;
}

/** Serialises switches (activations, rollbacks) of one function within this process. */
const switchTails = ((globalThis as unknown as { __dartCloudSwitchTails?: Map<string, Promise<unknown>> }).__dartCloudSwitchTails ??=
  new Map());
export function withSwitchLock<T>(functionId: string, fn: () => Promise<T>): Promise<T> {
  const previous = switchTails.get(functionId) ?? Promise.resolve();
  const result = previous.then(fn, fn);
  const tail = result.catch(() => {});
  switchTails.set(functionId, tail);
  void tail.then(() => {
    if (switchTails.get(functionId) === tail) switchTails.delete(functionId);
  });
  return result;
}
