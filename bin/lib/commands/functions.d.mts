// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * `list`: the owner's functions.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function list(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * `history <function>`: versions, newest first.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function history(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * `rollback <function> [version]`: makes an earlier built version active again.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function rollback(ctx: import("../context.mjs").Context): Promise<number>;
/**
 * `logs <function>`: the audit trail, newest first.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export function logs(ctx: import("../context.mjs").Context): Promise<number>;
