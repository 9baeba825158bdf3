import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments } from "../db/schema";
import { writeAudit } from "../deployments/audit";
import { ConflictError, NotFoundError } from "../errors";
import { loadOwnedFunction } from "../functions/load-function";
import { parseInput } from "../validation";

const versionSchema = z.coerce
  .number({ error: "version must be a whole number, like 3." })
  .int({ error: "version must be a whole number, like 3." })
  .positive({ error: "version must be 1 or more." });

export type PinResult = { deploymentId: string; version: number; pinned: boolean; changed: boolean; message: string };

/**
 * Pins a version ("keep": retention never prunes it) or unpins it. Idempotent: setting the
 * value it already has changes nothing and writes no audit row.
 */
export async function setPinned(owner: Owner, functionId: string, versionInput: unknown, pinned: boolean): Promise<PinResult> {
  const version = parseInput(versionSchema, versionInput);
  const db = await getDb();
  return db.transaction(async (tx) => {
    // The function's row lock orders this against a prune deciding what to drop.
    const fn = await loadOwnedFunction(tx, owner.userId, functionId, { forUpdate: true });
    const [d] = await tx
      .select()
      .from(functionDeployments)
      .where(and(eq(functionDeployments.functionId, fn.id), eq(functionDeployments.version, version)));
    if (!d) throw new NotFoundError(`Version ${version} of ${fn.name} does not exist.`);
    const base = { deploymentId: d.id, version, pinned };
    if (d.pinned === pinned) {
      return { ...base, changed: false, message: `v${version} of ${fn.name} is already ${pinned ? "pinned" : "not pinned"}.` };
    }
    if (pinned && d.status === "pruned") {
      throw new ConflictError(
        `Version ${version} of ${fn.name} was already pruned: its image and archive are gone, so there is nothing left to keep. Deploy it again to bring it back.`,
        { status: d.status },
      );
    }
    await tx.update(functionDeployments).set({ pinned }).where(eq(functionDeployments.id, d.id));
    const message = pinned
      ? `Pinned v${version}: retention keeps it whatever its age`
      : `Unpinned v${version}: retention may prune it once it is older than the versions kept`;
    await writeAudit(tx, {
      functionId: fn.id,
      deploymentId: d.id,
      actor: owner.actor,
      action: pinned ? "deployment.pinned" : "deployment.unpinned",
      message,
      metadata: { version },
    });
    return { ...base, changed: true, message };
  });
}
