import "server-only";
import { and, desc, eq, gt, inArray, ne, notInArray } from "drizzle-orm";
import { config } from "../config";
import { getDb, type Queryable } from "../db/client";
import { functionDeployments, functionLogs, functions, type Deployment, type FunctionRow } from "../db/schema";
import { ConflictError } from "../errors";
import { getExecutor } from "../runtime";
import { writeAudit } from "./audit";
import { invalidateRoute, runTargetOf } from "./routing";

export type SwitchReason = "deploy" | "rollback";
export type SwitchResult = { switched: true; previous: Deployment | null } | { switched: false; supersededBy: string };

/** Manual switches (rollbacks, activations) since `since`: a build uploaded before one must not take over. */
async function manualSwitchSince(db: Queryable, functionId: string, since: Date) {
  const [row] = await db
    .select({ message: functionLogs.message })
    .from(functionLogs)
    .where(and(eq(functionLogs.functionId, functionId), eq(functionLogs.action, "rollback"), gt(functionLogs.createdAt, since)))
    .limit(1);
  return row?.message ?? null;
}

/**
 * Zero-downtime switch to `target` (a built deployment): its container is started and
 * health-checked while the current version keeps serving; then one transaction moves the
 * active pointer and writes the audit row; then the old container drains (kept warm for a grace
 * period so a rollback to it is instant). Callers hold the function's switch lock.
 */
export async function switchActive(opts: {
  fn: FunctionRow;
  target: Deployment;
  actor: string;
  reason: SwitchReason;
  message: string;
  metadata?: Record<string, unknown>;
}): Promise<SwitchResult> {
  const { fn, target, actor, reason } = opts;
  const db = await getDb();
  if (reason === "deploy") {
    const supersededBy = await db.transaction((tx) => manualSwitchSince(tx, fn.id, target.deployedAt));
    if (supersededBy) return { switched: false, supersededBy };
  }

  const executor = getExecutor();
  await executor.ensureRunning(runTargetOf(fn, target));

  let outcome: SwitchResult;
  try {
    outcome = await db.transaction(async (tx): Promise<SwitchResult> => {
      const [locked] = await tx.select().from(functions).where(eq(functions.id, fn.id)).for("update");
      if (!locked || locked.deletingAt) throw new Error(`function ${fn.id} disappeared during the switch`);
      if (reason === "deploy") {
        const supersededBy = await manualSwitchSince(tx, fn.id, target.deployedAt);
        if (supersededBy) return { switched: false, supersededBy };
      }
      const [previous] = await tx
        .update(functionDeployments)
        .set({ isActive: false, status: "inactive" })
        .where(and(eq(functionDeployments.functionId, fn.id), eq(functionDeployments.isActive, true), ne(functionDeployments.id, target.id)))
        .returning();
      const now = new Date();
      // Re-checked under the row lock: a prune in another process may have retired the target
      // since it was chosen (then this throws and the transaction undoes the deactivation above).
      const [activated] = await tx
        .update(functionDeployments)
        .set({ isActive: true, status: "active", activatedAt: now, error: null })
        .where(and(eq(functionDeployments.id, target.id), notInArray(functionDeployments.status, ["pruned", "failed"])))
        .returning({ id: functionDeployments.id });
      if (!activated) throw new ConflictError(`Version ${target.version} was pruned or failed meanwhile and cannot be activated.`);
      await tx
        .update(functions)
        .set({ activeDeploymentId: target.id, status: "active", updatedAt: now })
        .where(eq(functions.id, fn.id));
      await writeAudit(tx, {
        functionId: fn.id,
        deploymentId: target.id,
        actor,
        action: reason === "rollback" ? "rollback" : "deployment.activated",
        message: opts.message,
        metadata: { version: target.version, previousVersion: previous?.version ?? null, ...opts.metadata },
      });
      return { switched: true, previous: previous ?? null };
    });
  } catch (error) {
    // The new container was started for a switch that did not happen: do not leave it running.
    await executor.retire(target.id, {}).catch(() => {});
    throw error;
  }

  if (!outcome.switched) {
    // Started for nothing: a rollback took over meanwhile.
    void executor.retire(target.id, {}).catch(() => {});
    return outcome;
  }
  invalidateRoute(fn.id);
  if (outcome.previous) {
    void executor.retire(outcome.previous.id, { keepWarmMs: config.runtime.warmGraceMs }).catch((error: unknown) =>
      console.error("[activate] retiring previous version:", (error as Error).message),
    );
  }
  return outcome;
}

/** Function status when nothing is active: building while a build runs, else failed or inactive. */
export async function refreshIdleFunctionStatus(functionId: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [fn] = await tx.select().from(functions).where(eq(functions.id, functionId)).for("update");
    if (!fn || fn.activeDeploymentId) return;
    const pending = await tx
      .select({ id: functionDeployments.id })
      .from(functionDeployments)
      .where(and(eq(functionDeployments.functionId, functionId), inArray(functionDeployments.status, ["queued", "building"])))
      .limit(1);
    const [latest] = await tx
      .select({ status: functionDeployments.status })
      .from(functionDeployments)
      .where(eq(functionDeployments.functionId, functionId))
      .orderBy(desc(functionDeployments.version))
      .limit(1);
    const status = pending.length > 0 ? "building" : latest?.status === "failed" ? "failed" : "inactive";
    await tx.update(functions).set({ status }).where(eq(functions.id, functionId));
  });
}
