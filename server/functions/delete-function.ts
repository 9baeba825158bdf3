import "server-only";
import { eq, isNotNull } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { listManagedImages, removeImage } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions } from "../db/schema";
import { SYSTEM_ACTOR, writeAudit } from "../deployments/audit";
import { getBuildQueue } from "../deployments/build-queue";
import { invalidateRoute } from "../deployments/routing";
import { getExecutor } from "../runtime";
import { deletePrefix, functionPrefix } from "../storage";
import { loadOwnedFunction } from "./load-function";

/**
 * Deletes a function and everything it owns. The row is first marked deleting (it vanishes from
 * every query at once), then containers, images and archives are removed, then the rows. If this
 * is interrupted, `finishPendingDeletes` (run at start-up) picks it up from the mark.
 */
export async function deleteFunction(owner: Owner, functionId: string): Promise<void> {
  const db = await getDb();
  const fn = await db.transaction(async (tx) => {
    const row = await loadOwnedFunction(tx, owner.userId, functionId, { forUpdate: true });
    await tx.update(functions).set({ deletingAt: new Date() }).where(eq(functions.id, row.id));
    await writeAudit(tx, { functionId: row.id, actor: owner.actor, action: "function.deleted", message: `Deleting ${row.name}` });
    return row;
  });
  invalidateRoute(fn.id);
  await purgeFunction(fn.id);
}

/** Removes a deleting function's containers, images, archives and rows; safe to repeat. */
export async function purgeFunction(functionId: string): Promise<void> {
  await getBuildQueue().whenFunctionIdle(functionId);
  await getExecutor().stopFunction(functionId);
  const db = await getDb();
  const tags = await db
    .select({ tag: functionDeployments.imageTag })
    .from(functionDeployments)
    .where(eq(functionDeployments.functionId, functionId));
  const labelled = await listManagedImages({ functionId });
  const toRemove = new Set([...tags.map((t) => t.tag), ...labelled.flatMap((i) => i.tags)].filter((t): t is string => !!t));
  for (const tag of toRemove) await removeImage(tag);
  await deletePrefix(functionPrefix(functionId));
  await db.delete(functions).where(eq(functions.id, functionId));
}

/** Finishes deletes that a restart or a dependency outage interrupted. */
export async function finishPendingDeletes(): Promise<number> {
  const db = await getDb();
  const pending = await db.select({ id: functions.id }).from(functions).where(isNotNull(functions.deletingAt));
  for (const { id } of pending) {
    try {
      await purgeFunction(id);
    } catch (error) {
      console.error(`[delete] could not finish deleting ${id} (${SYSTEM_ACTOR} will retry at next start):`, (error as Error).message);
    }
  }
  return pending.length;
}
