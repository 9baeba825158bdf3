import "server-only";
import { UnavailableError } from "../errors";

const unreachableCodes = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "EPERM", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EPIPE", "ENOTFOUND"]);

/** The HTTP status of a Docker Engine API error, if it is one. */
export function dockerStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** True when the error means the Docker Engine itself could not be reached. */
export function isDockerUnreachable(error: unknown): boolean {
  if (error instanceof UnavailableError) return true;
  if (dockerStatus(error) !== undefined) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && unreachableCodes.has(code);
}

/** Re-throws "Docker is down" as UnavailableError('docker'); other errors pass through untouched. */
export function rethrowDocker(error: unknown, doing: string): never {
  if (error instanceof UnavailableError) throw error;
  if (isDockerUnreachable(error)) {
    const code = (error as { code?: string }).code;
    throw new UnavailableError(
      "docker",
      `Docker Engine is unreachable while ${doing} (${code}). Check that dockerd is running and DOCKER_HOST is right.`,
    );
  }
  throw error;
}

/** Message of a Docker API error without dockerode's "(HTTP code 404) no such container -" noise. */
export function dockerMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === "string") return json.message;
  return error instanceof Error ? error.message : String(error);
}
