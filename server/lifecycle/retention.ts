import "server-only";
import type { Deployment } from "../db/schema";

export type RetentionCandidate = Pick<Deployment, "id" | "version" | "status" | "isActive" | "pinned">;
export type PrunePlan = { id: string; version: number; reason: string }[];

/** A version that was built and can still run: it counts towards the retention window. */
export function isBuilt(d: Pick<Deployment, "status">): boolean {
  return d.status === "active" || d.status === "inactive";
}

/**
 * Which versions retention removes now. The `retention` newest built versions are kept, and so
 * are the active version and every pinned one, whatever their age. Failed builds older than the
 * oldest kept built version go too (their archives are all they hold). Versions still queued or
 * building are never touched, and `retention` 0 keeps everything.
 */
export function planPrune(deployments: RetentionCandidate[], retention: number): PrunePlan {
  if (retention <= 0) return [];
  const newestFirst = [...deployments].sort((a, b) => b.version - a.version);
  const built = newestFirst.filter(isBuilt);
  if (built.length <= retention) return [];
  const window = built.slice(0, retention);
  const oldestKept = window[window.length - 1].version;
  const keep = new Set(window.map((d) => d.id));
  const plan: PrunePlan = [];
  for (const d of newestFirst) {
    if (keep.has(d.id) || d.isActive || d.pinned) continue;
    if (isBuilt(d)) {
      plan.push({ id: d.id, version: d.version, reason: `Retention keeps the last ${retention} built version${retention === 1 ? "" : "s"}; v${d.version} was older.` });
    } else if (d.status === "failed" && d.version < oldestKept) {
      plan.push({ id: d.id, version: d.version, reason: `Retention keeps the last ${retention} built version${retention === 1 ? "" : "s"}; v${d.version} failed to build and was older.` });
    }
  }
  return plan;
}
