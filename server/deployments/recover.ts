import "server-only";
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "../db/client";
import { functionDeployments, functions } from "../db/schema";
import { repairActivations } from "../lifecycle/repair-activations";
import { getExecutor } from "../runtime";
import { refreshIdleFunctionStatus } from "./activate";
import { SYSTEM_ACTOR, writeAudit } from "./audit";
import { runTargetOf } from "./routing";

export const INTERRUPTED_BUILD = "The platform restarted while this version was being built. Deploy it again.";

/**
 * Start-up recovery: builds cut off by a restart become failed (they cannot resume: their
 * temporary files and Docker build are gone), activations left inconsistent are repaired so
 * exactly one version is active, and function containers are reconciled with the active
 * deployments (adopted if active, removed otherwise).
 */
export async function recoverInterruptedWork(): Promise<{ failedBuilds: number; repairedActivations: number; adopted: number; removed: number }> {
  const db = await getDb();
  const stuck = await db.transaction(async (tx) => {
    const rows = await tx
      .update(functionDeployments)
      .set({ status: "failed", error: INTERRUPTED_BUILD, buildFinishedAt: new Date() })
      .where(inArray(functionDeployments.status, ["queued", "building"]))
      .returning();
    await writeAudit(
      tx,
      ...rows.map((d) => ({
        functionId: d.functionId,
        deploymentId: d.id,
        actor: SYSTEM_ACTOR,
        level: "warn" as const,
        action: "recovery" as const,
        message: `v${d.version} failed: ${INTERRUPTED_BUILD}`,
        metadata: { version: d.version },
      })),
    );
    return rows;
  });
  for (const functionId of new Set(stuck.map((d) => d.functionId))) await refreshIdleFunctionStatus(functionId);
  const repaired = await repairActivations();

  const active = await db
    .select({ fn: functions, d: functionDeployments })
    .from(functionDeployments)
    .innerJoin(functions, eq(functions.id, functionDeployments.functionId))
    .where(and(eq(functionDeployments.isActive, true), isNotNull(functionDeployments.imageTag), isNull(functions.deletingAt)));
  const { adopted, removed } = await getExecutor().reconcile(active.map(({ fn, d }) => runTargetOf(fn, d)));
  return { failedBuilds: stuck.length, repairedActivations: repaired.length, adopted: adopted.length, removed: removed.length };
}
