// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * `login`: exchanges email and password for an API token and stores it (0600).
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function login(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * `logout`: revokes the saved token on the server (best effort) and forgets it.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function logout(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * `whoami`: who the saved token belongs to, checked against the server.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function whoami(ctx: import("../context.mjs").Context): Promise<number>;
