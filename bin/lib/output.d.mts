// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * Everything the CLI prints goes through here: text for people on stdout, warnings and progress
 * on stderr, and with --json exactly one JSON document on stdout.
 */
/**
 * @typedef {object} Writable
 * @property {(chunk: string | Uint8Array) => unknown} write
 * @property {boolean} [isTTY]
 */
/**
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes: number): string;
/**
 * @param {number | null | undefined} ms
 * @returns {string}
 */
export function formatDuration(ms: number | null | undefined): string;
/**
 * "just now", "5 min ago", "3 h ago", "2 days ago", then the date.
 * @param {string | null | undefined} iso
 * @param {Date} [now]
 * @returns {string}
 */
export function formatAgo(iso: string | null | undefined, now?: Date): string;
/**
 * A plain-text table with a header row; columns padded to their widest cell, the last column
 * not padded (it often holds a long message).
 * @param {string[]} headers
 * @param {(string | number | null | undefined)[][]} rows
 * @returns {string}
 */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][]): string;
/**
 * "Uploading  1.2 MB / 3.4 MB  35%"
 * @param {number} sent
 * @param {number} total
 * @returns {string}
 */
export function formatProgress(sent: number, total: number): string;
/**
 * @param {{ stdout: Writable, stderr: Writable, json: boolean, env?: Record<string, string | undefined> }} options
 */
export function createOutput({ stdout, stderr, json, env }: {
    stdout: Writable;
    stderr: Writable;
    json: boolean;
    env?: Record<string, string | undefined>;
}): {
    json: boolean;
    /** Text for people; nothing in --json mode. @param {string} text */
    info(text: string): void;
    /** Progress and notes that are not the result: stderr, so stdout stays clean for pipes. @param {string} text */
    note(text: string): void;
    /** @param {string} text */
    warn(text: string): void;
    /** @param {string} text */
    error(text: string): void;
    /** @param {string} text */
    success(text: string): void;
    /** The one JSON document of --json mode. @param {unknown} value */
    result(value: unknown): void;
    /** Raw text as it arrives (build logs): stdout for people, stderr in --json mode. @param {string} text */
    stream(text: string): void;
    /**
     * A progress reporter that redraws one line on a terminal and stays silent otherwise.
     * @returns {{ update: (sent: number, total: number) => void, done: () => void }}
     */
    progress(): {
        update: (sent: number, total: number) => void;
        done: () => void;
    };
};
export type Writable = {
    write: (chunk: string | Uint8Array) => unknown;
    isTTY?: boolean | undefined;
};
export type Output = ReturnType<typeof createOutput>;
