// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * @typedef {object} PromptIO
 * @property {NodeJS.ReadableStream & { isTTY?: boolean }} stdin
 * @property {NodeJS.WritableStream & { isTTY?: boolean }} stderr
 */
/**
 * Asks one question on the terminal. With `hidden`, what is typed is not echoed (passwords).
 * Prompts go to stderr so they never mix with --json output.
 * @param {PromptIO} io
 * @param {string} question
 * @param {{ hidden?: boolean }} [options]
 * @returns {Promise<string>}
 */
export function ask(io: PromptIO, question: string, { hidden }?: {
    hidden?: boolean;
}): Promise<string>;
export type PromptIO = {
    stdin: NodeJS.ReadableStream & {
        isTTY?: boolean;
    };
    stderr: NodeJS.WritableStream & {
        isTTY?: boolean;
    };
};
