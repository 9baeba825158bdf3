// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * `invoke <function>`: calls the function through the platform and prints its answer.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function invoke(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * "/hello?x=1" from --path "hello?x=1"; "" when no path.
 * @param {string | undefined} raw
 * @returns {string}
 */
export function invokePath(raw: string | undefined): string;
/**
 * "Name: value" strings into a header object.
 * @param {string[]} list
 * @returns {Record<string, string>}
 */
export function parseHeaders(list: string[]): Record<string, string>;
