// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * The version `rollback` picks when none is given: the newest successfully built version older
 * than the active one. Failed, pruned, queued and building versions are skipped.
 * @param {{ version: number, status: string, isActive?: boolean }[]} deployments any order
 * @param {number | null} activeVersion
 * @returns {number | null}
 */
export function previousBuiltVersion(deployments: {
    version: number;
    status: string;
    isActive?: boolean;
}[], activeVersion: number | null): number | null;
/**
 * The active version from a history, for when the function summary lacks it.
 * @param {{ version: number, isActive?: boolean }[]} deployments
 * @returns {number | null}
 */
export function activeVersionOf(deployments: {
    version: number;
    isActive?: boolean;
}[]): number | null;
