// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * A mistake in how the command was called.
 * @param {string} message
 */
export function usageError(message: string): CliError;
/**
 * @param {string} url the server URL in use
 * @param {string} [reason]
 */
export function notSignedIn(url: string, reason?: string): CliError;
/**
 * Exit code for a server error `code` (DESIGN.md §5), falling back on the HTTP status.
 * @param {number} status
 * @param {string | undefined} code
 * @returns {number}
 */
export function exitCodeFor(status: number, code: string | undefined): number;
/**
 * Exit codes of the dart-cloud command. Scripts branch on these, so they never change meaning.
 * Documented in docs/cli.md.
 */
export const EXIT: Readonly<{
    OK: 0;
    /** Something unexpected: a bug, or a 5xx the server could not explain. */
    UNEXPECTED: 1;
    /** Wrong arguments, or a local problem the user can fix (no runtime detected, bad name). */
    USAGE: 2;
    /** No token, or the server rejected it (401). */
    NOT_SIGNED_IN: 3;
    /** The function or version does not exist for this owner (404). */
    NOT_FOUND: 4;
    /** The server refused the request: invalid input, bad archive, conflict, too large (400/409/413). */
    REJECTED: 5;
    /** The build failed, or the new version did not become active. */
    BUILD_FAILED: 6;
    /** The server could not be reached, a dependency is down (503), or waiting timed out. */
    UNAVAILABLE: 7;
    /** `invoke`: the function answered with an HTTP status of 400 or more. */
    FUNCTION_ERROR: 8;
}>;
/** An error whose message is meant for the person at the terminal, with the exit code to use. */
export class CliError extends Error {
    /**
     * @param {string} message what went wrong and what to do about it
     * @param {{ exitCode?: number, code?: string, status?: number, details?: Record<string, unknown> }} [options]
     */
    constructor(message: string, options?: {
        exitCode?: number;
        code?: string;
        status?: number;
        details?: Record<string, unknown>;
    });
    /** @type {number} */
    exitCode: number;
    /** Machine-readable code: the server's `code`, or one of ours (usage, unreachable, ...). */
    /** @type {string} */
    code: string;
    /** @type {number | undefined} */
    status: number | undefined;
    /** @type {Record<string, unknown> | undefined} */
    details: Record<string, unknown> | undefined;
}
