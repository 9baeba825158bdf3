import "server-only";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments, functions, type Deployment } from "../db/schema";
import { presentFunction } from "../deployments/present";

/** The owner's functions, each with its active and latest deployment. */
export async function listFunctions(owner: Owner) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(functions)
    .where(and(eq(functions.ownerId, owner.userId), isNull(functions.deletingAt)))
    .orderBy(desc(functions.updatedAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Latest deployment per function in one query (DISTINCT ON), plus the active ones.
  const latest = await db
    .selectDistinctOn([functionDeployments.functionId])
    .from(functionDeployments)
    .where(inArray(functionDeployments.functionId, ids))
    .orderBy(functionDeployments.functionId, desc(functionDeployments.version));
  const active = await db
    .select()
    .from(functionDeployments)
    .where(and(inArray(functionDeployments.functionId, ids), eq(functionDeployments.isActive, true)));
  const byFunction = (list: Deployment[]) => new Map(list.map((d) => [d.functionId, d]));
  const latestBy = byFunction(latest);
  const activeBy = byFunction(active);
  return rows.map((fn) => presentFunction(fn, activeBy.get(fn.id) ?? null, latestBy.get(fn.id) ?? null));
}
