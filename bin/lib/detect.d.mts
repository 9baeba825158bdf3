// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * The runtime for a folder, as the server would pick it: Dockerfile, then pubspec.yaml, then
 * package.json.
 * @param {string} dir
 * @returns {Promise<"dockerfile" | "dart" | "node" | null>}
 */
export function detectRuntime(dir: string): Promise<"dockerfile" | "dart" | "node" | null>;
/**
 * A valid function name made from any text: lower-cased, runs of other characters turned into
 * single dashes, leading non-letters and trailing dashes dropped, cut to 63 characters.
 * @param {string} raw
 * @returns {string | null} null when nothing usable is left
 */
export function sanitizeName(raw: string): string | null;
/**
 * The `name:` of a pubspec.yaml (top-level key only).
 * @param {string} text
 * @returns {string | null}
 */
export function pubspecName(text: string): string | null;
/**
 * The default function name for a folder: the `name` of its package.json or pubspec.yaml
 * (the runtime's own manifest first), else the folder's name; sanitized.
 * @param {string} dir
 * @param {string | null} runtime
 * @returns {Promise<{ name: string | null, from: string }>}
 */
export function detectName(dir: string, runtime: string | null): Promise<{
    name: string | null;
    from: string;
}>;
/**
 * Checks a --name given by the user; never silently changes it.
 * @param {string} name
 * @returns {string}
 */
export function checkName(name: string): string;
/**
 * @param {string} runtime
 * @returns {"dart" | "node" | "dockerfile"}
 */
export function checkRuntime(runtime: string): "dart" | "node" | "dockerfile";
export const RUNTIMES: readonly string[];
export const NAME_PATTERN: RegExp;
