// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * Splits argv (without `node` and the script) into command, positionals and options.
 * Accepts `--opt value`, `--opt=value`, `-x value`, `--no-<boolean>` and `--` (the rest is
 * positional). Unknown options are an error rather than silently ignored, so a typo such as
 * `--nmae` does not deploy under the wrong name.
 *
 * @param {string[]} argv
 * @param {Record<string, CommandSpec>} commands
 * @returns {ParsedArgs}
 */
export function parseArgs(argv: string[], commands: Record<string, CommandSpec>): ParsedArgs;
/**
 * Checks the positional count against the command's usage.
 * @param {CommandSpec} spec
 * @param {string[]} positionals
 */
export function checkPositionals(spec: CommandSpec, positionals: string[]): void;
/**
 * A positive whole number from an option or argument.
 * @param {unknown} value
 * @param {string} what e.g. "--limit"
 * @returns {number}
 */
export function positiveInteger(value: unknown, what: string): number;
/**
 * @typedef {object} OptionSpec
 * @property {"boolean" | "string"} type
 * @property {string} [short] one-letter alias, e.g. "d" for -d
 * @property {boolean} [multiple] a string option that may repeat (values collect into an array)
 * @property {string | boolean} [default]
 */
/** @typedef {Record<string, OptionSpec>} OptionSpecs */
/**
 * @typedef {object} CommandSpec
 * @property {string} usage e.g. "deploy [dir]"
 * @property {string} summary one line for the command list
 * @property {number} minPositionals
 * @property {number} maxPositionals
 * @property {OptionSpecs} options
 */
/**
 * @typedef {object} ParsedArgs
 * @property {string | null} command
 * @property {string[]} positionals
 * @property {Record<string, string | boolean | string[] | undefined>} options
 */
/**
 * Options every command understands; they may stand before or after the command.
 * @type {OptionSpecs}
 */
export const GLOBAL_OPTIONS: OptionSpecs;
export type OptionSpec = {
    type: "boolean" | "string";
    /**
     * one-letter alias, e.g. "d" for -d
     */
    short?: string | undefined;
    /**
     * a string option that may repeat (values collect into an array)
     */
    multiple?: boolean | undefined;
    default?: string | boolean | undefined;
};
export type OptionSpecs = Record<string, OptionSpec>;
export type CommandSpec = {
    /**
     * e.g. "deploy [dir]"
     */
    usage: string;
    /**
     * one line for the command list
     */
    summary: string;
    minPositionals: number;
    maxPositionals: number;
    options: OptionSpecs;
};
export type ParsedArgs = {
    command: string | null;
    positionals: string[];
    options: Record<string, string | boolean | string[] | undefined>;
};
