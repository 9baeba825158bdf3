import "server-only";
import http from "node:http";
import type Docker from "dockerode";
import { getDocker } from "../build/docker";
import { config } from "../config";
import { BadGatewayError, PayloadTooLargeError, TimeoutError, UnavailableError } from "../errors";
import { ConcurrencyGate } from "./concurrency-gate";
import {
  ContainerStartError,
  createAndStart,
  lastLogLines,
  listManagedContainers,
  publishedPort,
  removeContainer,
  stopAndRemove,
} from "./container";
import { dockerStatus, rethrowDocker } from "./docker-errors";
import { LABEL_DEPLOYMENT_ID, LABEL_FUNCTION_ID, LABEL_INSTANCE } from "../build/labels";
import { ForwardError, forward, requestHeaders } from "./proxy";
import type { InstanceInfo, InvokeRequest, RunTarget } from "./types";

export type ExecutorOptions = {
  /** Docker client; default: the shared client for DOCKER_HOST (server/build/docker.ts). */
  docker?: Docker;
  /** Labels added to every container and required by reconcile (tests use one per run to stay apart). */
  extraLabels?: Record<string, string>;
  /** How long a new container may take to answer HTTP. Default FUNCTION_START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  /** Largest request body forwarded. Default INVOKE_BODY_MAX_BYTES. */
  maxBodyBytes?: number;
  /** How often idle containers are looked for. */
  sweepIntervalMs?: number;
  /** Deadline of the liveness probe run after a timeout or a dropped connection. */
  probeTimeoutMs?: number;
  /** How long a dropped connection waits to learn whether the container exited. */
  crashWaitMs?: number;
  /** SIGTERM grace before SIGKILL when stopping a container. */
  stopGraceSeconds?: number;
};

type ExitInfo = { exitCode: number | undefined; logs: string };

/** One function container this process routes to. */
type Instance = {
  target: RunTarget;
  containerId: string;
  containerName: string;
  port: number;
  agent: http.Agent;
  inFlight: number;
  lastUsedAt: number;
  /** Set once the instance is no longer routable (stopping, recycled, exited). */
  gone: boolean;
  /** Stop timer of a retired version kept warm for an instant rollback. */
  retireTimer?: NodeJS.Timeout;
  /** A liveness check in progress; new requests wait for its verdict. */
  checking?: Promise<boolean>;
  /** Resolves when the container stops running (undefined when the watch was lost). */
  exit: Promise<ExitInfo | undefined>;
  exitInfo?: ExitInfo;
  stopWatch: AbortController;
  drainWaiters: Array<() => void>;
};

const log = (message: string, error?: unknown) =>
  console.warn(`[runtime] ${message}${error === undefined ? "" : `: ${error instanceof Error ? error.message : String(error)}`}`);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs function containers and routes invocations to them: starts on demand (deduplicated),
 * keeps them warm, stops idle ones, replaces dead or wedged ones, drains retired versions,
 * and adopts or removes leftovers after a restart. One per process: see getExecutor().
 */
export class Executor {
  private readonly docker: Docker;
  private readonly extraLabels: Record<string, string>;
  private readonly startTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly probeTimeoutMs: number;
  private readonly crashWaitMs: number;
  private readonly stopGraceSeconds: number;
  private readonly instances = new Map<string, Instance>();
  /** Starts in progress by deployment id, shared by concurrent callers. */
  private readonly starting = new Map<string, { functionId: string; promise: Promise<Instance> }>();
  private readonly gates = new Map<string, ConcurrencyGate>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: ExecutorOptions = {}) {
    this.docker = options.docker ?? getDocker();
    this.extraLabels = options.extraLabels ?? {};
    this.startTimeoutMs = options.startTimeoutMs ?? config.runtime.startTimeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? config.limits.invokeBodyMaxBytes;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
    this.crashWaitMs = options.crashWaitMs ?? 500;
    this.stopGraceSeconds = options.stopGraceSeconds ?? 5;
    this.sweeper = setInterval(() => this.sweepIdle(), options.sweepIntervalMs ?? 1_000);
    this.sweeper.unref();
  }

  // ---- public API -------------------------------------------------------------------------

  /**
   * Makes sure the target's container runs and answers HTTP; concurrent calls share one start.
   * Also cancels a pending keep-warm stop (a rollback to a retired version reuses it).
   * Throws ContainerStartError (502, with the container's last log lines) or UnavailableError('docker').
   */
  async ensureRunning(target: RunTarget): Promise<void> {
    const instance = await this.instanceFor(target);
    if (instance.retireTimer) {
      clearTimeout(instance.retireTimer);
      instance.retireTimer = undefined;
    }
  }

  /** True when a started, routable container exists for the deployment (no start needed). */
  isWarm(deploymentId: string): boolean {
    const instance = this.instances.get(deploymentId);
    return !!instance && !instance.gone;
  }

  /**
   * Forwards one invocation to the target's container (cold-starting it if needed) and returns
   * the function's own response plus X-Function-Version and X-Deployment-Id. The response body
   * streams; the concurrency slot is held until it has been fully sent.
   *
   * Throws PayloadTooLargeError (413), TooManyRequestsError (429), TimeoutError (504),
   * BadGatewayError / ContainerStartError (502), UnavailableError('docker') (503), or the
   * signal's reason when the caller aborts.
   */
  async invoke(target: RunTarget, req: InvokeRequest): Promise<Response> {
    if (this.closed) throw new UnavailableError("docker", "The function runtime is shutting down.");
    const declared = Number(req.headers.get("content-length") ?? 0);
    if (declared > this.maxBodyBytes) throw this.tooLarge();

    const gate = this.gateFor(target);
    const release = await gate.acquire(`Function version ${target.version}`, target.limits.timeoutMs, req.signal);
    let handedOff = false;
    try {
      const headers = requestHeaders(req.headers);
      const path = (req.path.startsWith("/") ? req.path : `/${req.path}`) + req.search;
      for (let attempt = 0; ; attempt++) {
        const instance = await this.instanceFor(target);
        if (instance.gone) {
          if (attempt < 3) continue; // stopped between lookup and use; the next lookup starts a fresh one
          throw new BadGatewayError(`Version ${target.version} was stopped while this request waited for it; retry.`);
        }
        const leave = this.enter(instance);
        try {
          const result = await forward({
            agent: instance.agent,
            port: instance.port,
            method: req.method,
            target: path,
            headers,
            body: req.body,
            maxBodyBytes: this.maxBodyBytes,
            timeoutMs: target.limits.timeoutMs,
            signal: req.signal,
            onBodyDone: (outcome) => {
              leave();
              release();
              req.onFinish?.(outcome);
            },
          });
          result.headers.set("x-function-version", String(target.version));
          result.headers.set("x-deployment-id", target.deploymentId);
          handedOff = true;
          return new Response(result.body, { status: result.status, headers: result.headers });
        } catch (error) {
          leave();
          if (!(error instanceof ForwardError)) throw error;
          // A keep-alive socket the container had already closed: safe to resend a bodiless request once.
          const staleSocket = error.kind === "connection" && error.details.reusedSocket && !req.body;
          if (staleSocket && attempt === 0) continue;
          throw await this.explain(instance, error, req.signal);
        }
      }
    } finally {
      if (!handedOff) release();
    }
  }

  /**
   * Takes a version out of service after a switch. Without keepWarmMs: waits for its in-flight
   * requests to finish, then stops and removes the container. With keepWarmMs: leaves it warm
   * (an instant rollback calls ensureRunning and keeps it) and stops it once the time is up.
   */
  async retire(deploymentId: string, options: { keepWarmMs?: number } = {}): Promise<void> {
    await this.starting.get(deploymentId)?.promise.catch(() => undefined);
    const instance = this.instances.get(deploymentId);
    if (!instance) return;
    const keepWarmMs = options.keepWarmMs ?? 0;
    if (keepWarmMs > 0) {
      clearTimeout(instance.retireTimer);
      instance.retireTimer = setTimeout(() => {
        instance.retireTimer = undefined;
        this.stopInstance(instance, { drain: true }).catch((error) => log(`stopping retired ${instance.containerName}`, error));
      }, keepWarmMs);
      instance.retireTimer.unref();
      return;
    }
    await this.stopInstance(instance, { drain: true });
  }

  /** Stops and removes a deployment's container at once, without waiting for in-flight requests. */
  async stop(deploymentId: string): Promise<void> {
    await this.starting.get(deploymentId)?.promise.catch(() => undefined);
    const instance = this.instances.get(deploymentId);
    if (instance) await this.stopInstance(instance, { drain: false });
  }

  /** Stops every container of a function, including ones another process left behind (for delete). */
  async stopFunction(functionId: string): Promise<void> {
    const pending = [...this.starting.values()].filter((s) => s.functionId === functionId);
    await Promise.all(pending.map((s) => s.promise.catch(() => undefined)));
    const mine = [...this.instances.values()].filter((i) => i.target.functionId === functionId);
    await Promise.all(mine.map((i) => this.stopInstance(i, { drain: false })));
    const leftovers = await listManagedContainers(this.docker, {}, { [LABEL_FUNCTION_ID]: functionId });
    await Promise.all(leftovers.map((c) => removeContainer(this.docker, c.Id)));
    this.gates.delete(functionId);
  }

  /**
   * Start-up reconciliation: containers labelled by the platform that belong to an active
   * deployment (running, right image, answering) are adopted; all others are removed.
   */
  async reconcile(active: RunTarget[]): Promise<{ adopted: string[]; removed: string[] }> {
    const wanted = new Map(active.map((t) => [t.deploymentId, t]));
    const known = new Set([...this.instances.values()].map((i) => i.containerId));
    const containers = await listManagedContainers(this.docker, this.extraLabels);
    const adopted: string[] = [];
    const removed: string[] = [];
    for (const container of containers) {
      if (known.has(container.Id)) continue;
      const deploymentId = container.Labels?.[LABEL_DEPLOYMENT_ID] ?? "";
      const target = wanted.get(deploymentId);
      const adoptable =
        target && container.State === "running" && !this.instances.has(deploymentId) && !this.starting.has(deploymentId);
      if (adoptable && (await this.adopt(target, container.Id))) {
        adopted.push(deploymentId);
        continue;
      }
      await removeContainer(this.docker, container.Id);
      removed.push(container.Id);
    }
    return { adopted, removed };
  }

  /** What this process is running, for the dashboard and tests. */
  listInstances(): InstanceInfo[] {
    return [...this.instances.values()].map((i) => ({
      deploymentId: i.target.deploymentId,
      functionId: i.target.functionId,
      version: i.target.version,
      containerId: i.containerId,
      containerName: i.containerName,
      port: i.port,
      inFlight: i.inFlight,
      lastUsedAt: i.lastUsedAt,
      retiring: !!i.retireTimer,
    }));
  }

  /** Stops timers and watches; leaves containers running so the next process adopts them. */
  async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const instance of this.instances.values()) {
      clearTimeout(instance.retireTimer);
      instance.stopWatch.abort();
      instance.agent.destroy();
    }
    this.instances.clear();
    const g = globalThis as GlobalWithExecutor;
    if (g.__dartCloudExecutor === this) g.__dartCloudExecutor = undefined;
  }

  // ---- starting ---------------------------------------------------------------------------

  /** The routable instance, synchronously when warm (the hot path), else after a start or a check. */
  private instanceFor(target: RunTarget): Instance | Promise<Instance> {
    const instance = this.instances.get(target.deploymentId);
    if (instance && !instance.checking) {
      instance.target = target;
      return instance;
    }
    if (instance?.checking) return instance.checking.then(() => this.instanceFor(target));
    let start = this.starting.get(target.deploymentId);
    if (!start) {
      const promise = this.start(target).finally(() => this.starting.delete(target.deploymentId));
      start = { functionId: target.functionId, promise };
      this.starting.set(target.deploymentId, start);
    }
    return start.promise;
  }

  private async start(target: RunTarget): Promise<Instance> {
    if (this.closed) throw new UnavailableError("docker", "The function runtime is shutting down.");
    const started = await createAndStart(this.docker, target, this.extraLabels);
    const instance = this.track(target, started.id, started.name, started.port);
    try {
      await this.waitUntilAnswering(instance);
    } catch (error) {
      this.detach(instance);
      instance.stopWatch.abort();
      instance.agent.destroy();
      await removeContainer(this.docker, instance.containerId).catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      this.detach(instance);
      instance.stopWatch.abort();
      throw new UnavailableError("docker", "The function runtime is shutting down.");
    }
    this.instances.set(target.deploymentId, instance);
    return instance;
  }

  /** Polls the container's port until any HTTP answer, failing fast if the container exits. */
  private async waitUntilAnswering(instance: Instance): Promise<void> {
    const { target } = instance;
    const deadline = Date.now() + this.startTimeoutMs;
    let delay = 10;
    for (;;) {
      if (instance.exitInfo) {
        const { exitCode, logs } = instance.exitInfo;
        throw new ContainerStartError(
          `Version ${target.version} exited during start-up (exit code ${exitCode ?? "unknown"}) before answering on $PORT.` +
            (logs ? ` Last log lines:\n${logs}` : " It wrote no logs."),
          "exited",
          logs,
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const logs = await lastLogLines(this.docker, instance.containerId);
        throw new ContainerStartError(
          `Version ${target.version} did not answer HTTP on $PORT (8080) within ${this.startTimeoutMs} ms.` +
            (logs ? ` Last log lines:\n${logs}` : " It wrote no logs."),
          "not_answering",
          logs,
        );
      }
      if (await probe(instance.port, Math.min(remaining, 1_000))) return;
      await Promise.race([sleep(delay), instance.exit]);
      // Short waits: a node function is usually up within a few hundred ms, and each probe is cheap.
      delay = Math.min(delay * 2, 20);
    }
  }

  /** Builds the bookkeeping for a running container and watches for its exit. */
  private track(target: RunTarget, containerId: string, containerName: string, port: number): Instance {
    const stopWatch = new AbortController();
    const instance: Instance = {
      target,
      containerId,
      containerName,
      port,
      agent: new http.Agent({ keepAlive: true, keepAliveMsecs: 1_000, maxFreeSockets: 64, scheduling: "lifo" }),
      inFlight: 0,
      lastUsedAt: Date.now(),
      gone: false,
      stopWatch,
      drainWaiters: [],
      exit: Promise.resolve(undefined),
    };
    // One long-poll per container tells us when it stops, so a dead container is replaced on
    // the next request without any Docker call on the request path.
    instance.exit = this.docker
      .getContainer(containerId)
      .wait({ condition: "not-running", abortSignal: stopWatch.signal })
      .then(async (result: { StatusCode?: number }) => {
        const info: ExitInfo = { exitCode: result?.StatusCode, logs: await lastLogLines(this.docker, containerId) };
        instance.exitInfo = info;
        if (!instance.gone) {
          // A container that dies while serving is logged; one failing its start is reported by start().
          if (this.instances.get(target.deploymentId) === instance) {
            log(`${containerName} exited with code ${info.exitCode}; the next request starts a new one`);
          }
          this.detach(instance);
          removeContainer(this.docker, containerId).catch((error) => log(`removing ${containerName}`, error));
        }
        return info;
      })
      .catch((error) => {
        if (!stopWatch.signal.aborted && !instance.gone) log(`lost the exit watch of ${containerName}`, error);
        return undefined;
      });
    return instance;
  }

  private async adopt(target: RunTarget, containerId: string): Promise<boolean> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(containerId).inspect();
    } catch (error) {
      if (dockerStatus(error) === 404) return false;
      rethrowDocker(error, "inspecting a function container");
    }
    const port = publishedPort(info);
    if (!port || !info.State.Running || info.Config.Image !== target.imageTag) return false;
    if (!(await probe(port, this.probeTimeoutMs))) return false;
    const instance = this.track(target, containerId, info.Name.replace(/^\//, ""), port);
    this.instances.set(target.deploymentId, instance);
    return true;
  }

  // ---- in-flight accounting, drain, stop --------------------------------------------------

  private gateFor(target: RunTarget): ConcurrencyGate {
    const { concurrency, queueLimit } = target.limits;
    let gate = this.gates.get(target.functionId);
    if (!gate) {
      gate = new ConcurrencyGate(concurrency, queueLimit);
      this.gates.set(target.functionId, gate);
    } else gate.setLimits(concurrency, queueLimit);
    return gate;
  }

  /** Counts a request on the instance; the returned function (idempotent) ends it. */
  private enter(instance: Instance): () => void {
    instance.inFlight++;
    instance.lastUsedAt = Date.now();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      instance.inFlight--;
      instance.lastUsedAt = Date.now();
      if (instance.inFlight === 0) instance.drainWaiters.splice(0).forEach((wake) => wake());
    };
  }

  /** Makes the instance unroutable: new requests start a fresh container from here on. */
  private detach(instance: Instance): void {
    instance.gone = true;
    clearTimeout(instance.retireTimer);
    instance.retireTimer = undefined;
    if (this.instances.get(instance.target.deploymentId) === instance) this.instances.delete(instance.target.deploymentId);
  }

  /**
   * Takes the instance out of routing, optionally waits for its in-flight requests, then
   * removes the container: gracefully (SIGTERM first) or at once (dead, wedged, or deleted).
   */
  private async stopInstance(instance: Instance, { drain, graceful = drain }: { drain: boolean; graceful?: boolean }): Promise<void> {
    if (instance.gone && instance.stopWatch.signal.aborted) return;
    this.detach(instance);
    if (drain && instance.inFlight > 0) {
      // In-flight requests finish (each is bounded by the function's timeout, plus slack).
      await Promise.race([
        new Promise<void>((resolve) => instance.drainWaiters.push(resolve)),
        sleep(instance.target.limits.timeoutMs + 1_000),
      ]);
    }
    instance.stopWatch.abort();
    instance.agent.destroy();
    if (graceful) await stopAndRemove(this.docker, instance.containerId, this.stopGraceSeconds);
    else await removeContainer(this.docker, instance.containerId);
  }

  private sweepIdle(): void {
    const now = Date.now();
    for (const instance of this.instances.values()) {
      const idle = instance.inFlight === 0 && !instance.retireTimer && !instance.checking;
      if (idle && now - instance.lastUsedAt > instance.target.limits.idleTimeoutMs) {
        this.stopInstance(instance, { drain: false, graceful: true }).catch((error) =>
          log(`stopping idle ${instance.containerName}`, error),
        );
      }
    }
  }

  // ---- failures ---------------------------------------------------------------------------

  /** Turns a failed exchange into the error the caller sees, checking the container's health on the way. */
  private async explain(instance: Instance, error: ForwardError, signal?: AbortSignal): Promise<Error> {
    const v = `Version ${instance.target.version}`;
    switch (error.kind) {
      case "too_large":
        return this.tooLarge();
      case "aborted":
        return signal?.reason instanceof Error ? signal.reason : (error.details.cause as Error) ?? new DOMException("aborted", "AbortError");
      case "timeout":
        // The request is cut; if the container no longer answers at all it is replaced.
        if (!instance.gone) this.verify(instance).catch((e) => log(`checking ${instance.containerName}`, e));
        return new TimeoutError(
          `${v} did not answer within ${instance.target.limits.timeoutMs} ms (the function's timeout); the request was cancelled.`,
        );
      case "bad_response":
        return new BadGatewayError(`${v} sent an invalid HTTP response: ${error.message}.`);
      case "connection": {
        const exit =
          instance.exitInfo ?? (await Promise.race([instance.exit, sleep(this.crashWaitMs).then(() => undefined)]));
        if (exit) {
          return new BadGatewayError(
            `${v} crashed while handling the request (exit code ${exit.exitCode ?? "unknown"}); the next request starts it again.` +
              (exit.logs ? ` Last log lines:\n${exit.logs}` : ""),
          );
        }
        const alive = instance.gone ? false : await this.verify(instance);
        return new BadGatewayError(
          alive
            ? `${v} closed the connection without answering (${error.message}).`
            : `${v} stopped answering (${error.message}); its container was replaced.`,
        );
      }
    }
  }

  /** One liveness probe at a time per instance; a container that does not answer is recycled. */
  private verify(instance: Instance): Promise<boolean> {
    instance.checking ??= (async () => {
      const alive = (await probe(instance.port, this.probeTimeoutMs)) && !instance.exitInfo;
      if (!alive && !instance.gone) {
        log(`${instance.containerName} stopped answering; replacing it`);
        // Unroutable at once; the kill runs in the background so waiting requests move on to a new container.
        this.stopInstance(instance, { drain: false }).catch((error) => log(`removing ${instance.containerName}`, error));
      }
      return alive;
    })().finally(() => {
      instance.checking = undefined;
    });
    return instance.checking;
  }

  private tooLarge(): PayloadTooLargeError {
    return new PayloadTooLargeError(
      `The request body is larger than the ${this.maxBodyBytes}-byte limit for invocations (INVOKE_BODY_MAX_BYTES).`,
    );
  }
}

/** True when something answers HTTP on the port (any status), within timeoutMs. */
function probe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: "GET", path: "/", agent: false, headers: { "user-agent": "dartcloud-health" } },
      (res) => {
        res.resume();
        req.destroy();
        resolve(true);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on("error", () => resolve(false));
    req.on("close", () => resolve(false));
    req.end();
  });
}

type GlobalWithExecutor = typeof globalThis & { __dartCloudExecutor?: Executor };

/** A new executor; production code uses getExecutor(), tests build their own. */
export function createExecutor(options?: ExecutorOptions): Executor {
  return new Executor(options);
}

/** The process-wide executor (on globalThis: Next may load this module in several bundles). */
export function getExecutor(): Executor {
  const g = globalThis as GlobalWithExecutor;
  // With PLATFORM_INSTANCE set, this platform labels its containers and reconciles only those,
  // so several platforms (or test runs) can share one Docker Engine.
  const instance = config.runtime.instance;
  g.__dartCloudExecutor ??= new Executor(instance ? { extraLabels: { [LABEL_INSTANCE]: instance } } : {});
  return g.__dartCloudExecutor;
}

