import { createInterface } from "node:readline";

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
export function ask(io, question, { hidden = false } = {}) {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: Boolean(io.stdin.isTTY) });
    if (hidden) {
      // readline echoes through _writeToOutput; after the question is shown, echo nothing.
      const internal = /** @type {any} */ (rl);
      let asked = false;
      const original = internal._writeToOutput?.bind(rl);
      internal._writeToOutput = (/** @type {string} */ text) => {
        if (!asked) original?.(text);
      };
      rl.question(question, (answer) => {
        io.stderr.write("\n");
        rl.close();
        resolve(answer);
      });
      asked = true;
    } else {
      rl.question(question, (answer) => {
        rl.close();
        resolve(answer);
      });
    }
    rl.on("SIGINT", () => {
      rl.close();
      reject(Object.assign(new Error("Cancelled."), { cancelled: true }));
    });
  });
}
