// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/* eslint-disable @typescript-eslint/no-explicit-any -- the JSDoc says any where the API answer is untyped JSON */
/**
 * @typedef {object} IO
 * @property {NodeJS.ReadableStream & { isTTY?: boolean }} stdin
 * @property {NodeJS.WritableStream & { isTTY?: boolean }} stdout
 * @property {NodeJS.WritableStream & { isTTY?: boolean }} stderr
 */
/**
 * What every command gets.
 * @typedef {object} Context
 * @property {string[]} positionals
 * @property {Record<string, any>} options
 * @property {Record<string, string | undefined>} env
 * @property {string} cwd
 * @property {IO} io
 * @property {import("./output.mjs").Output} out
 * @property {typeof fetch} [fetch]
 * @property {number} pollIntervalMs how often deploy polls the build
 */
/**
 * The session (URL, token) and an API client for it.
 * @param {Context} ctx
 * @param {{ requireToken?: boolean }} [options] default true: no token is "not signed in"
 */
export function connect(ctx: Context, { requireToken }?: {
    requireToken?: boolean;
}): Promise<{
    stored: import("./config.mjs").StoredConfig;
    session: import("./config.mjs").Session;
    api: ApiClient;
}>;
export type IO = {
    stdin: NodeJS.ReadableStream & {
        isTTY?: boolean;
    };
    stdout: NodeJS.WritableStream & {
        isTTY?: boolean;
    };
    stderr: NodeJS.WritableStream & {
        isTTY?: boolean;
    };
};
/**
 * What every command gets.
 */
export type Context = {
    positionals: string[];
    options: Record<string, any>;
    env: Record<string, string | undefined>;
    cwd: string;
    io: IO;
    out: import("./output.mjs").Output;
    fetch?: typeof fetch | undefined;
    /**
     * how often deploy polls the build
     */
    pollIntervalMs: number;
};
import { ApiClient } from "./api.mjs";
