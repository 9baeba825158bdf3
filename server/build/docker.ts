import "server-only";
import Docker from "dockerode";
import { config } from "../config";
import { UnavailableError } from "../errors";

const DEFAULT_SOCKET = "/var/run/docker.sock";
const PING_TIMEOUT_MS = 2_000;

export type DockerConnection = { socketPath: string } | { host: string; port: number; protocol: "http" | "https" };

/**
 * How to reach the engine for a DOCKER_HOST value: unset means the local socket,
 * `unix:///path` a socket, `tcp://host:port` (or `host:port`) TCP; port 2376 or
 * DOCKER_TLS_VERIFY=1 mean TLS, as with the docker CLI.
 */
export function dockerConnection(dockerHost: string | undefined, tlsVerify = process.env.DOCKER_TLS_VERIFY === "1"): DockerConnection {
  if (!dockerHost) return { socketPath: DEFAULT_SOCKET };
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) || DEFAULT_SOCKET };
  const withScheme = dockerHost.includes("://") ? dockerHost : `tcp://${dockerHost}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`DOCKER_HOST "${dockerHost}" is not valid: use unix:///var/run/docker.sock or tcp://host:2375`);
  }
  if (url.protocol !== "tcp:" && url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`DOCKER_HOST "${dockerHost}" uses an unsupported scheme: use unix:// or tcp://`);
  }
  const port = url.port ? Number(url.port) : 2375;
  const tls = url.protocol === "https:" || tlsVerify || port === 2376;
  return { host: url.hostname, port, protocol: tls ? "https" : "http" };
}

/** The engine's address as a person would write it, for messages. */
export function dockerAddress(connection: DockerConnection = dockerConnection(config.docker.host)): string {
  return "socketPath" in connection ? `unix://${connection.socketPath}` : `${connection.protocol === "https" ? "tcp+tls" : "tcp"}://${connection.host}:${connection.port}`;
}

// One client per process (and per DOCKER_HOST), kept on globalThis so Next's dev-mode module
// reloads do not open a new connection pool on every edit.
type ClientSlot = { host: string | undefined; client: Docker };
const globalSlot = globalThis as typeof globalThis & { __dartcloudDocker?: ClientSlot };

/** The shared Dockerode client for DOCKER_HOST. */
export function getDocker(): Docker {
  const host = config.docker.host;
  const slot = globalSlot.__dartcloudDocker;
  if (slot && slot.host === host) return slot.client;
  const client = new Docker(dockerConnection(host));
  globalSlot.__dartcloudDocker = { host, client };
  return client;
}

// Error codes that mean "nothing answered at that address", not "the engine said no".
const UNREACHABLE_CODES = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EACCES",
  "EPERM",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

/** The HTTP status the engine answered with, when the error is an engine answer. */
export function dockerStatusCode(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The engine's own message, without dockerode's "(HTTP code 500) server error -" prefix. */
export function dockerErrorMessage(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json;
  if (json && typeof json === "object" && typeof (json as { message?: unknown }).message === "string") {
    return (json as { message: string }).message;
  }
  if (typeof json === "string" && json.trim()) return json.trim();
  return error instanceof Error ? error.message : String(error);
}

/**
 * UnavailableError('docker') when the error means the engine could not be reached
 * (no socket, refused, reset, unreachable host); null for anything else.
 */
export function dockerUnavailable(error: unknown): UnavailableError | null {
  if (error instanceof UnavailableError) return error;
  if (dockerStatusCode(error) !== undefined) return null;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !UNREACHABLE_CODES.has(code)) return null;
  const reason = error instanceof Error ? error.message : code;
  return new UnavailableError(
    "docker",
    `Docker Engine is unreachable at ${dockerAddress()}: ${reason}. Check that dockerd is running and that DOCKER_HOST points at it.`,
  );
}

/** Re-throws an unreachable engine as UnavailableError('docker'); other errors unchanged. */
export function rethrowDockerError(error: unknown): never {
  throw dockerUnavailable(error) ?? error;
}

type PingableDocker = {
  ping(opts: { abortSignal: AbortSignal }): Promise<unknown>;
  version(opts: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
};

export type DockerHealth = { ok: true; version: string } | { ok: false; error: string };

/** Pings the engine with a short timeout and reports its version. Never throws. */
export async function dockerHealth(): Promise<DockerHealth> {
  try {
    // dockerode accepts an abortSignal here; its typings do not say so.
    const docker = getDocker() as unknown as PingableDocker;
    const signal = AbortSignal.timeout(PING_TIMEOUT_MS);
    await docker.ping({ abortSignal: signal });
    const info = await docker.version({ abortSignal: signal });
    return { ok: true, version: info.Version };
  } catch (error) {
    if ((error as { name?: string })?.name === "AbortError" || (error as { name?: string })?.name === "TimeoutError") {
      return { ok: false, error: `Docker Engine at ${dockerAddress()} did not answer within ${PING_TIMEOUT_MS} ms` };
    }
    const unavailable = dockerUnavailable(error);
    return { ok: false, error: unavailable ? unavailable.message : `Docker Engine at ${dockerAddress()}: ${dockerErrorMessage(error)}` };
  }
}
