import "server-only";
import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import { getDb } from "../db/client";
import { functionDeployments, functions, type Deployment, type FunctionRow } from "../db/schema";
import { refreshIdleFunctionStatus } from "../deployments/activate";
import { SYSTEM_ACTOR, writeAudit } from "../deployments/audit";
import { invalidateRoute } from "../deployments/routing";

type Slim = Pick<Deployment, "id" | "functionId" | "version" | "status" | "isActive" | "imageTag">;
type FnSlim = Pick<FunctionRow, "id" | "status" | "activeDeploymentId">;

/** A version that can serve: built, not pruned or failed. */
function runnable(d: Slim | undefined): d is Slim {
  return !!d && !!d.imageTag && (d.status === "active" || d.status === "inactive");
}

/**
 * The version that should be active, from what an interrupted or inconsistent activation left:
 * the row flagged is_active when it can serve (the unique index makes it the strongest record),
 * else the one functions.active_deployment_id names, else the newest runnable row still marked
 * `active`, else none.
 */
export function chooseActive(fn: FnSlim, rows: Slim[]): Slim | null {
  const flagged = rows.find((d) => d.isActive);
  if (runnable(flagged)) return flagged;
  const pointed = rows.find((d) => d.id === fn.activeDeploymentId);
  if (runnable(pointed)) return pointed;
  const claimed = rows.filter((d) => d.status === "active" && runnable(d)).sort((a, b) => b.version - a.version);
  return claimed[0] ?? null;
}

/** Whether the function's activation records agree: at most one active row, named by the pointer, and the statuses match. */
export function isConsistent(fn: FnSlim, rows: Slim[]): boolean {
  const chosen = chooseActive(fn, rows);
  const others = rows.filter((d) => d.id !== chosen?.id);
  if (others.some((d) => d.isActive || d.status === "active")) return false;
  if (!chosen) return fn.activeDeploymentId === null && fn.status !== "active";
  return chosen.isActive && chosen.status === "active" && fn.activeDeploymentId === chosen.id && fn.status === "active";
}

/**
 * Start-up repair of activations that were cut short or left inconsistent: afterwards each
 * function has exactly one active version (or none), `functions.active_deployment_id` and
 * `functions.status` agree with it, and no other row claims to be active. The container
 * reconciliation that follows in recovery then makes the running container match.
 * Returns the ids of the functions it repaired.
 */
export async function repairActivations(): Promise<string[]> {
  const db = await getDb();
  const fns = await db
    .select({ id: functions.id, status: functions.status, activeDeploymentId: functions.activeDeploymentId })
    .from(functions)
    .where(isNull(functions.deletingAt));
  const pointers = fns.map((f) => f.activeDeploymentId).filter((id): id is string => !!id);
  const claims = await db
    .select()
    .from(functionDeployments)
    .where(
      or(
        eq(functionDeployments.isActive, true),
        eq(functionDeployments.status, "active"),
        pointers.length > 0 ? inArray(functionDeployments.id, pointers) : undefined,
      ),
    );
  const byFunction = new Map<string, Slim[]>();
  for (const d of claims) byFunction.set(d.functionId, [...(byFunction.get(d.functionId) ?? []), d]);

  const repaired: string[] = [];
  for (const fn of fns) {
    if (isConsistent(fn, byFunction.get(fn.id) ?? [])) continue;
    if (await repairFunction(fn.id)) repaired.push(fn.id);
  }
  return repaired;
}

async function repairFunction(functionId: string): Promise<boolean> {
  const db = await getDb();
  const outcome = await db.transaction(async (tx) => {
    const [fn] = await tx.select().from(functions).where(eq(functions.id, functionId)).for("update");
    if (!fn || fn.deletingAt) return null;
    const rows = await tx.select().from(functionDeployments).where(eq(functionDeployments.functionId, functionId));
    if (isConsistent(fn, rows)) return null;
    const chosen = chooseActive(fn, rows);
    const before = describeState(fn, rows);

    // Others first: the partial unique index allows one is_active row at a time.
    await tx
      .update(functionDeployments)
      .set({ isActive: false })
      .where(and(eq(functionDeployments.functionId, functionId), eq(functionDeployments.isActive, true), chosen ? ne(functionDeployments.id, chosen.id) : undefined));
    await tx
      .update(functionDeployments)
      .set({ status: "inactive" })
      .where(and(eq(functionDeployments.functionId, functionId), eq(functionDeployments.status, "active"), chosen ? ne(functionDeployments.id, chosen.id) : undefined));
    if (chosen) {
      await tx.update(functionDeployments).set({ isActive: true, status: "active" }).where(eq(functionDeployments.id, chosen.id));
      await tx.update(functions).set({ activeDeploymentId: chosen.id, status: "active" }).where(eq(functions.id, functionId));
    } else {
      await tx.update(functions).set({ activeDeploymentId: null }).where(eq(functions.id, functionId));
    }
    const message = chosen
      ? `Repaired an interrupted activation: v${chosen.version} is the active version (found ${before})`
      : `Repaired an interrupted activation: no version can serve, so none is active (found ${before})`;
    await writeAudit(tx, {
      functionId,
      deploymentId: chosen?.id ?? null,
      actor: SYSTEM_ACTOR,
      level: "warn",
      action: "recovery",
      message,
      metadata: { version: chosen?.version ?? null, before },
    });
    return { chosen };
  });
  if (!outcome) return false;
  if (!outcome.chosen) await refreshIdleFunctionStatus(functionId);
  invalidateRoute(functionId);
  return true;
}

function describeState(fn: FunctionRow, rows: Deployment[]): string {
  const v = (id: string | null) => (id ? `v${rows.find((d) => d.id === id)?.version ?? "?"}` : "none");
  const flagged = rows.filter((d) => d.isActive).map((d) => `v${d.version} (${d.status})`);
  const claimed = rows.filter((d) => d.status === "active" && !d.isActive).map((d) => `v${d.version}`);
  return [
    `function status ${fn.status}, pointer ${v(fn.activeDeploymentId)}`,
    `is_active ${flagged.join(", ") || "none"}`,
    ...(claimed.length > 0 ? [`status active without is_active: ${claimed.join(", ")}`] : []),
  ].join("; ");
}
