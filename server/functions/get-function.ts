import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments } from "../db/schema";
import { presentFunction } from "../deployments/present";
import { loadOwnedFunction } from "./load-function";

export async function getFunction(owner: Owner, functionId: string) {
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);
  const [latest] = await db
    .select()
    .from(functionDeployments)
    .where(eq(functionDeployments.functionId, fn.id))
    .orderBy(desc(functionDeployments.version))
    .limit(1);
  const active =
    latest?.isActive === true
      ? latest
      : fn.activeDeploymentId
        ? ((await db.select().from(functionDeployments).where(eq(functionDeployments.id, fn.activeDeploymentId)))[0] ?? null)
        : null;
  return presentFunction(fn, active, latest ?? null);
}
