// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * @typedef {object} IgnoreRule
 * @property {string} pattern the line it came from
 * @property {RegExp} regex
 * @property {boolean} negated
 * @property {boolean} dirOnly
 * @property {boolean} basename matched against the last path segment only
 */
/**
 * Parses the text of an ignore file into rules (blank lines and comments dropped).
 * @param {string} text
 * @returns {IgnoreRule[]}
 */
export function parseIgnore(text: string): IgnoreRule[];
/**
 * @param {string} rawLine
 * @returns {IgnoreRule | null}
 */
export function compileRule(rawLine: string): IgnoreRule | null;
/**
 * @typedef {(relativePath: string, isDirectory: boolean) => boolean} IgnoreMatcher
 */
/**
 * The matcher the packer uses: ALWAYS_IGNORED names at any depth, then the runtime's defaults,
 * then the user's `.dartcloudignore` (last match wins).
 * @param {{ runtime?: string, ignoreFileText?: string }} [options]
 * @returns {IgnoreMatcher}
 */
export function createIgnoreMatcher({ runtime, ignoreFileText }?: {
    runtime?: string;
    ignoreFileText?: string;
}): IgnoreMatcher;
/**
 * @param {IgnoreRule[]} rules
 * @param {string} relativePath posix path from the deployed folder, no leading "./"
 * @param {boolean} isDirectory
 * @returns {boolean}
 */
export function isIgnoredBy(rules: IgnoreRule[], relativePath: string, isDirectory: boolean): boolean;
/**
 * gitignore-style patterns for `.dartcloudignore`: `#` comments, `!` re-includes, a trailing
 * `/` matches folders only, a pattern with a `/` before its end is anchored at the root,
 * `*`, `?`, `[a-z]` and `**` work as in git. The last matching pattern wins, and (as in git)
 * nothing inside an ignored folder can be re-included: the packer never walks into it.
 */
export const IGNORE_FILE: ".dartcloudignore";
/** Never deployed, whatever `.dartcloudignore` says. */
export const ALWAYS_IGNORED: readonly string[];
/**
 * Ignored unless `.dartcloudignore` re-includes them. The node image runs no build step, so
 * compiled output such as dist/ must be deployed; only caches are skipped.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const DEFAULT_PATTERNS: Readonly<Record<string, readonly string[]>>;
export type IgnoreRule = {
    /**
     * the line it came from
     */
    pattern: string;
    regex: RegExp;
    negated: boolean;
    dirOnly: boolean;
    /**
     * matched against the last path segment only
     */
    basename: boolean;
};
export type IgnoreMatcher = (relativePath: string, isDirectory: boolean) => boolean;
