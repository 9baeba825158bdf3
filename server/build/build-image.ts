import "server-only";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { config } from "../config";
import type { Runtime } from "../db/schema";
import { AppError, BuildFailedError, InvalidInputError } from "../errors";
import { createBuildContext } from "./build-context";
import { BuildLog } from "./build-log";
import { dockerErrorMessage, dockerStatusCode, dockerUnavailable, getDocker } from "./docker";
import { type BuildManifest, generateDockerfile, GENERATED_DOCKERFILE, OWN_DOCKERFILE } from "./dockerfile";

export type BuildImageOptions = {
  /** The uploaded `.tar.gz` (validated), files at its root. */
  archivePath: string;
  runtime: Runtime;
  manifest: BuildManifest;
  /** The tag to build, e.g. imageTag(functionId, version). */
  tag: string;
  /** Labels the image carries, e.g. imageLabels(...). */
  labels: Record<string, string>;
  /** Receives the build output as it arrives, piece by piece. */
  onLog: (text: string) => void;
  /** Default: BUILD_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Aborts the build (e.g. on shutdown). */
  signal?: AbortSignal;
};

export type BuiltImage = { imageId: string; size: number };

type BuildEvent = {
  stream?: string;
  status?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
};

/** Why the build was stopped from our side. */
type StopReason = { kind: "timeout" } | { kind: "cancelled" } | { kind: "context"; error: Error };

/**
 * Builds the image of one deployment with the classic builder: the archive re-streamed as
 * the context, the runtime's generated Dockerfile (or the archive's own), never pulling.
 * Output goes to onLog as it arrives. A failing step or a timeout rejects with
 * BuildFailedError (details.logTail); an unreachable engine with UnavailableError('docker').
 */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const generated = generateDockerfile(options.runtime, options.manifest, options.labels);
  if (generated === null && !options.manifest.files.includes(OWN_DOCKERFILE)) {
    throw new InvalidInputError(`A "${options.runtime}" function needs a ${OWN_DOCKERFILE} at the root of its archive.`);
  }
  const dockerfile = generated === null ? OWN_DOCKERFILE : GENERATED_DOCKERFILE;
  const timeoutMs = options.timeoutMs ?? config.limits.buildTimeoutMs;
  const log = new BuildLog(options.onLog);

  const controller = new AbortController();
  let stopped: StopReason | null = null;
  const stop = (reason: StopReason) => {
    if (stopped) return;
    stopped = reason;
    controller.abort();
  };
  const timer = setTimeout(() => stop({ kind: "timeout" }), timeoutMs);
  const onCancel = () => stop({ kind: "cancelled" });
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener("abort", onCancel, { once: true });

  const context = createBuildContext({
    archivePath: options.archivePath,
    extraFile: generated === null ? undefined : { name: GENERATED_DOCKERFILE, content: generated },
    readableByAll: generated !== null,
    hasDockerignore: options.manifest.files.includes(".dockerignore"),
  });
  context.on("error", (error: Error) => stop({ kind: "context", error }));

  try {
    if (stopped) throw controller.signal.reason;
    const docker = getDocker();
    const output = await docker.buildImage(context as NodeJS.ReadableStream, {
      t: options.tag,
      // Generated Dockerfiles carry the labels themselves; an archive's own gets them here.
      labels: generated === null ? options.labels : undefined,
      dockerfile,
      rm: true,
      forcerm: true,
      // No `pull`: an image named in FROM is used as it is locally; there may be no registry.
      abortSignal: controller.signal,
    });
    await followBuild(output as Readable, log, controller.signal);
  } catch (error) {
    throw buildError(error, stopped, log, timeoutMs);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onCancel);
    context.destroy();
  }

  try {
    const image = await getDocker().getImage(options.tag).inspect();
    return { imageId: image.Id, size: image.Size };
  } catch (error) {
    throw dockerUnavailable(error) ?? error;
  }
}

/** Reads the engine's JSON-lines answer to the end; rejects with BuildFailedError on an error event. */
function followBuild(output: Readable, log: BuildLog, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder("utf8");
    let pending = "";
    let failure: BuildFailedError | null = null;

    const handleLine = (line: string) => {
      if (!line.trim()) return;
      let event: BuildEvent;
      try {
        event = JSON.parse(line) as BuildEvent;
      } catch {
        log.write(`${line}\n`);
        return;
      }
      if (typeof event.stream === "string") log.write(event.stream);
      else if (typeof event.status === "string") log.write(`${event.status}\n`);
      const message = event.errorDetail?.message ?? event.error;
      if (message && !failure) failure = stepFailure(message, log);
    };

    const onAbort = () => {
      output.destroy();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    output.on("data", (chunk: Buffer) => {
      pending += decoder.write(chunk);
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        handleLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    });
    output.on("end", () => {
      signal.removeEventListener("abort", onAbort);
      handleLine(pending + decoder.end());
      if (failure) reject(failure);
      else resolve();
    });
    output.on("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}

/** "Step 3/5 : RUN exit 1 — The command '/bin/sh -c exit 1' returned a non-zero code: 1". */
function stepFailure(message: string, log: BuildLog): BuildFailedError {
  const reason = message.trim();
  log.write(`${reason}\n`);
  const step = log.currentStep;
  const hint = step && /^Step \d+\/\d+ : FROM /i.test(step)
    ? " (the base image is not on this Docker host and could not be pulled: build or load it locally, or point NODE_BASE_IMAGE / DART_BASE_IMAGE at an image that is there)"
    : "";
  return new BuildFailedError(step ? `${step} — ${reason}${hint}` : reason, { step, logTail: log.lastLines() });
}

/** The error a failed build is reported as. */
function buildError(error: unknown, stopped: StopReason | null, log: BuildLog, timeoutMs: number): Error {
  if (stopped?.kind === "timeout") {
    const during = log.currentStep ? ` during "${log.currentStep}"` : "";
    const message = `The build timed out after ${formatDuration(timeoutMs)}${during} and was stopped. Make the build faster or raise BUILD_TIMEOUT_MS.`;
    log.write(`${message}\n`);
    return new BuildFailedError(message, { timedOut: true, step: log.currentStep, logTail: log.lastLines() });
  }
  if (stopped?.kind === "cancelled") {
    log.write("The build was cancelled.\n");
    return new BuildFailedError("The build was cancelled before it finished.", { cancelled: true, logTail: log.lastLines() });
  }
  if (stopped?.kind === "context") {
    return new BuildFailedError(`The uploaded archive could not be read for the build: ${stopped.error.message}`, { logTail: log.lastLines() });
  }
  if (error instanceof AppError) return error;
  const unavailable = dockerUnavailable(error);
  if (unavailable) return unavailable;
  if (dockerStatusCode(error) !== undefined) {
    // The engine refused the build outright, e.g. "Cannot locate specified Dockerfile".
    const reason = dockerErrorMessage(error);
    log.write(`${reason}\n`);
    return new BuildFailedError(reason, { logTail: log.lastLines() });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return seconds < 120 ? `${Number(seconds.toFixed(1))} s` : `${Number((seconds / 60).toFixed(1))} min`;
}
