import "server-only";

/** Resource and traffic limits of one function, resolved from its settings by the caller. */
export type RunLimits = {
  memoryMb: number;
  cpus: number;
  pidsLimit: number;
  /** Per-invocation deadline: queue wait, and then the whole exchange with the container. */
  timeoutMs: number;
  /** Requests served at once per function (across its versions). */
  concurrency: number;
  /** Requests allowed to wait for a slot; beyond that, 429. */
  queueLimit: number;
  /** A container with no request for this long is stopped; the next request cold-starts one. */
  idleTimeoutMs: number;
};

/** What to run: one deployment of a function. Passed in by the caller so the hot path never reads the DB. */
export type RunTarget = {
  deploymentId: string;
  functionId: string;
  version: number;
  imageTag: string;
  limits: RunLimits;
};

/** One invocation as the route handler received it. */
export type InvokeRequest = {
  method: string;
  /** The path below the function's prefix, starting with "/". */
  path: string;
  /** The query string including its "?", or "". */
  search: string;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** Aborts the invocation (the client went away). */
  signal?: AbortSignal;
  /** Called once when the exchange is over: the response body fully sent, failed or cancelled. */
  onFinish?: (outcome: InvokeOutcome) => void;
};

export type InvokeOutcome = {
  /** The function's status, or 0 when it never answered. */
  statusCode: number;
  /** "ok" when the response body was delivered completely. */
  result: "ok" | "error" | "cancelled";
  responseBytes: number;
};

/** A running (or starting) function container, as reported by listInstances(). */
export type InstanceInfo = {
  deploymentId: string;
  functionId: string;
  version: number;
  containerId: string;
  containerName: string;
  port: number;
  inFlight: number;
  lastUsedAt: number;
  retiring: boolean;
};
