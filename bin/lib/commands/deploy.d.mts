// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * `deploy [dir]`: pack, upload, follow the build, and succeed only when the version is active.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function deploy(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * Polls the deployment and prints the new part of its build log as it grows, until it settles.
 * @param {import("../context.mjs").Context} ctx
 * @param {import("../api.mjs").ApiClient} api
 * @param {{ id: string, version: number }} accepted
 * @param {number} timeoutMs
 * @returns {Promise<import("../api.mjs").Deployment>}
 */
export function followBuild(ctx: import("../context.mjs").Context, api: import("../api.mjs").ApiClient, accepted: {
    id: string;
    version: number;
}, timeoutMs: number): Promise<import("../api.mjs").Deployment>;
