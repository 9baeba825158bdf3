import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { getDocker, listManagedImages, removeImage, rethrowDockerError } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions } from "../db/schema";
import { forgetArtifacts } from "../deployments/artifacts";
import { SYSTEM_ACTOR, writeAudit } from "../deployments/audit";
import { getBuildQueue, withSwitchLock } from "../deployments/build-queue";
import { invalidateRoute } from "../deployments/routing";
import { getExecutor } from "../runtime";
import { deleteArchive, deletePrefix, functionPrefix } from "../storage";
import { functionIdSchema } from "./input";
import { functionNotFound, loadOwnedFunction } from "./load-function";

/**
 * Deletes a function and everything it owns. The row is first marked deleting (it vanishes from
 * every query at once), then containers, images and archives are removed, then the rows. If this
 * is interrupted, `finishPendingDeletes` (run at start-up) picks it up from the mark, and so does
 * asking to delete it again.
 */
export async function deleteFunction(owner: Owner, functionId: string): Promise<void> {
  const db = await getDb();
  const fn = await db.transaction(async (tx) => {
    const resumed = await loadDeletingFunction(tx, owner.userId, functionId);
    if (resumed) return resumed;
    const row = await loadOwnedFunction(tx, owner.userId, functionId, { forUpdate: true });
    await tx.update(functions).set({ deletingAt: new Date() }).where(eq(functions.id, row.id));
    await writeAudit(tx, { functionId: row.id, actor: owner.actor, action: "function.deleted", message: `Deleting ${row.name}` });
    return row;
  });
  invalidateRoute(fn.id);
  await purgeFunction(fn.id);
}

/** The owner's function if a delete of it already started (and was cut short). */
async function loadDeletingFunction(tx: Parameters<typeof loadOwnedFunction>[0], ownerId: string, functionId: string) {
  if (!functionIdSchema.safeParse(functionId).success) throw functionNotFound(functionId);
  const [row] = await tx
    .select()
    .from(functions)
    .where(and(eq(functions.id, functionId), eq(functions.ownerId, ownerId), isNotNull(functions.deletingAt)));
  return row ?? null;
}

/** Removes a deleting function's containers, images, archives and rows; safe to repeat. */
export async function purgeFunction(functionId: string): Promise<void> {
  await getBuildQueue().whenFunctionIdle(functionId);
  // A rollback (possibly rebuilding an image) in flight finishes first, so nothing it creates
  // appears after the images were listed.
  await withSwitchLock(functionId, async () => {});
  await getExecutor().stopFunction(functionId);
  const db = await getDb();
  const tags = await db
    .select({ tag: functionDeployments.imageTag })
    .from(functionDeployments)
    .where(eq(functionDeployments.functionId, functionId));
  const labelled = await listManagedImages({ functionId });
  // Versions' tags that exist (one listing, not a Docker call per version: histories can be
  // long), plus labelled images by id: dangling ones (a rebuild's old image) have no tag.
  const present = new Set((await getDocker().listImages().catch(rethrowDockerError)).flatMap((i) => i.RepoTags ?? []));
  const toRemove = new Set([
    ...tags.map((t) => t.tag).filter((t): t is string => !!t && present.has(t)),
    ...labelled.flatMap((i) => (i.tags.length > 0 ? i.tags : [i.id])),
  ]);
  for (const ref of toRemove) await removeImage(ref);
  await deletePrefix(functionPrefix(functionId));
  // Archives the single-version design stored outside the function's prefix.
  const keys = await db.select({ key: functionDeployments.s3Key }).from(functionDeployments).where(eq(functionDeployments.functionId, functionId));
  for (const { key } of keys) if (key && !key.startsWith(functionPrefix(functionId))) await deleteArchive(key);
  // Rows last: until here the mark and the rows are what lets a rerun find everything again.
  await db.delete(functions).where(eq(functions.id, functionId));
  invalidateRoute(functionId);
  forgetArtifacts(functionId);
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
