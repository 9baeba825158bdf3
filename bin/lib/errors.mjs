/**
 * Exit codes of the dart-cloud command. Scripts branch on these, so they never change meaning.
 * Documented in docs/cli.md.
 */
export const EXIT = Object.freeze({
  OK: 0,
  /** Something unexpected: a bug, or a 5xx the server could not explain. */
  UNEXPECTED: 1,
  /** Wrong arguments, or a local problem the user can fix (no runtime detected, bad name). */
  USAGE: 2,
  /** No token, or the server rejected it (401). */
  NOT_SIGNED_IN: 3,
  /** The function or version does not exist for this owner (404). */
  NOT_FOUND: 4,
  /** The server refused the request: invalid input, bad archive, conflict, too large (400/409/413). */
  REJECTED: 5,
  /** The build failed, or the new version did not become active. */
  BUILD_FAILED: 6,
  /** The server could not be reached, a dependency is down (503), or waiting timed out. */
  UNAVAILABLE: 7,
  /** `invoke`: the function answered with an HTTP status of 400 or more. */
  FUNCTION_ERROR: 8,
});

/** An error whose message is meant for the person at the terminal, with the exit code to use. */
export class CliError extends Error {
  /**
   * @param {string} message what went wrong and what to do about it
   * @param {{ exitCode?: number, code?: string, status?: number, details?: Record<string, unknown> }} [options]
   */
  constructor(message, options = {}) {
    super(message);
    this.name = "CliError";
    /** @type {number} */
    this.exitCode = options.exitCode ?? EXIT.UNEXPECTED;
    /** Machine-readable code: the server's `code`, or one of ours (usage, unreachable, ...). */
    /** @type {string} */
    this.code = options.code ?? "error";
    /** @type {number | undefined} */
    this.status = options.status;
    /** @type {Record<string, unknown> | undefined} */
    this.details = options.details;
  }
}

/**
 * A mistake in how the command was called.
 * @param {string} message
 */
export function usageError(message) {
  return new CliError(message, { exitCode: EXIT.USAGE, code: "usage" });
}

/**
 * @param {string} url the server URL in use
 * @param {string} [reason]
 */
export function notSignedIn(url, reason) {
  return new CliError(reason ?? `Not signed in to ${url}. Run \`dart-cloud login\`, or set DART_CLOUD_TOKEN.`, {
    exitCode: EXIT.NOT_SIGNED_IN,
    code: "unauthorized",
  });
}

/**
 * Exit code for a server error `code` (DESIGN.md §5), falling back on the HTTP status.
 * @param {number} status
 * @param {string | undefined} code
 * @returns {number}
 */
export function exitCodeFor(status, code) {
  switch (code) {
    case "unauthorized":
      return EXIT.NOT_SIGNED_IN;
    case "not_found":
      return EXIT.NOT_FOUND;
    case "invalid_input":
    case "conflict":
    case "payload_too_large":
      return EXIT.REJECTED;
    case "build_failed":
      return EXIT.BUILD_FAILED;
    case "unavailable":
      return EXIT.UNAVAILABLE;
  }
  if (status === 401) return EXIT.NOT_SIGNED_IN;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 422) return EXIT.BUILD_FAILED;
  if (status === 503 || status === 502 || status === 504) return EXIT.UNAVAILABLE;
  if (status >= 400 && status < 500) return EXIT.REJECTED;
  return EXIT.UNEXPECTED;
}
