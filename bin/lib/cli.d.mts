// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/** @returns {string} */
export function mainHelp(): string;
/**
 * @param {string} name
 * @returns {string}
 */
export function commandHelp(name: string): string;
/**
 * Runs the CLI once and returns the exit code. Everything it touches comes in through the
 * arguments, so it can be driven from tests.
 * @param {{ argv: string[], env: Record<string, string | undefined>, cwd: string, io: import("./context.mjs").IO, fetch?: typeof fetch, pollIntervalMs?: number }} options
 * @returns {Promise<number>}
 */
export function main({ argv, env, cwd, io, fetch: fetchImpl, pollIntervalMs }: {
    argv: string[];
    env: Record<string, string | undefined>;
    cwd: string;
    io: import("./context.mjs").IO;
    fetch?: typeof fetch;
    pollIntervalMs?: number;
}): Promise<number>;
/**
 * Prints an error for a person (stderr) and, with --json, as a JSON document on stdout.
 * @param {import("./output.mjs").Output} out
 * @param {unknown} error
 * @returns {number} the exit code
 */
export function reportError(out: import("./output.mjs").Output, error: unknown): number;
/**
 * @typedef {import("./args.mjs").CommandSpec & { run: (ctx: import("./context.mjs").Context) => Promise<number>, help: string }} Command
 */
/** @type {Record<string, Command>} */
export const COMMANDS: Record<string, Command>;
export type Command = import("./args.mjs").CommandSpec & {
    run: (ctx: import("./context.mjs").Context) => Promise<number>;
    help: string;
};
