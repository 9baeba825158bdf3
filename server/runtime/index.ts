import "server-only";

export { Executor, createExecutor, getExecutor, type ExecutorOptions } from "./executor";
export { ContainerStartError, type StartFailure } from "./container";
export { flushInvocations, pendingInvocations, recordInvocation, type InvocationRecord } from "./invocation-recorder";
export type { InstanceInfo, InvokeOutcome, InvokeRequest, RunLimits, RunTarget } from "./types";
