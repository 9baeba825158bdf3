// One error family for the whole domain. app/ maps these to HTTP (app/api/_lib/respond.ts)
// and to server action results (app/_lib/action.ts), each in one place.

export type ErrorCode =
  | "invalid_input"
  | "unauthorized"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "too_many_requests"
  | "unavailable"
  | "bad_gateway"
  | "timeout"
  | "build_failed";

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("invalid_input", message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "Sign in or send a valid API token (Authorization: Bearer <token>).") {
    super("unauthorized", message);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("conflict", message, details);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super("payload_too_large", message);
  }
}
export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super("too_many_requests", message);
  }
}
/** A dependency (database, storage, docker) is down or unreachable. */
export class UnavailableError extends AppError {
  readonly dependency: "db" | "storage" | "docker";
  constructor(dependency: "db" | "storage" | "docker", message: string) {
    super("unavailable", message, { dependency });
    this.dependency = dependency;
  }
}
export class BadGatewayError extends AppError {
  constructor(message: string) {
    super("bad_gateway", message);
  }
}
export class TimeoutError extends AppError {
  constructor(message: string) {
    super("timeout", message);
  }
}
export class BuildFailedError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("build_failed", message, details);
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
  bad_gateway: 502,
  timeout: 504,
  build_failed: 422,
};

const DB_CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P01", "57P03"]);

/**
 * The AppError an unknown error stands for, or null for a bug. Drivers' connection failures
 * become "database unavailable" so callers get a 503 naming the dependency.
 */
export function asAppError(error: unknown): AppError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AppError) return e;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && DB_CONNECTION_CODES.has(code)) {
      return new UnavailableError("db", "The database is unavailable. Try again in a moment.");
    }
  }
  return null;
}

/**
 * An unexpected error as it may be logged: its kind, the first line of its message and its
 * cause's, never query parameters (drizzle puts them in the message: password and token
 * hashes must not reach the logs).
 */
export function describeForLog(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split("\n")[0];
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message.split("\n")[0]})` : "";
  const where = error.stack?.split("\n").find((line) => line.trim().startsWith("at ")) ?? "";
  return `${error.name}: ${error.message.split("\n")[0]}${cause} ${where.trim()}`;
}
