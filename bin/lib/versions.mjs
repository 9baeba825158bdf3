/**
 * Statuses of a deployment whose image was built successfully and can run again. `active` is
 * the one serving; `inactive` ones were built and later replaced (or kept aside by a rollback).
 */
const BUILT = new Set(["active", "inactive"]);

/**
 * The version `rollback` picks when none is given: the newest successfully built version older
 * than the active one. Failed, pruned, queued and building versions are skipped.
 * @param {{ version: number, status: string, isActive?: boolean }[]} deployments any order
 * @param {number | null} activeVersion
 * @returns {number | null}
 */
export function previousBuiltVersion(deployments, activeVersion) {
  if (activeVersion === null || activeVersion === undefined) return null;
  let best = null;
  for (const d of deployments) {
    if (d.version >= activeVersion || d.isActive || !BUILT.has(d.status)) continue;
    if (best === null || d.version > best) best = d.version;
  }
  return best;
}

/**
 * The active version from a history, for when the function summary lacks it.
 * @param {{ version: number, isActive?: boolean }[]} deployments
 * @returns {number | null}
 */
export function activeVersionOf(deployments) {
  return deployments.find((d) => d.isActive)?.version ?? null;
}
