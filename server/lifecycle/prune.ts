import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { removeImage } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions, type Deployment } from "../db/schema";
import { SYSTEM_ACTOR, writeAudit } from "../deployments/audit";
import { forgetArtifacts } from "../deployments/artifacts";
import { withSwitchLock } from "../deployments/build-queue";
import { asAppError } from "../errors";
import { resolveSettings } from "../functions/settings";
import { getExecutor } from "../runtime";
import { deleteArchive, functionPrefix } from "../storage";
import { ImageIndex, listImageRecords, listObjectSizes } from "./inventory";
import { planPrune } from "./retention";

export type PruneResult = {
  functionId: string;
  retention: number;
  /** Versions this run marked pruned. */
  pruned: { version: number; deploymentId: string; reason: string }[];
  /** Artifacts this run removed, for versions pruned now or by an earlier, interrupted run. */
  cleaned: { version: number; images: string[]; archive: string | null }[];
  /** Versions whose artifacts could not all be removed (a dependency down); the next run finishes them. */
  incomplete: { version: number; error: string }[];
};

export type PruneOptions = {
  actor?: string;
  /** Overrides the function's retention setting (scripts: a one-off stricter pass). */
  retention?: number;
  /** Called after each version's artifacts were handled; tests interrupt a dependency there. */
  afterVersion?: (version: number) => Promise<void> | void;
};

/**
 * Applies a function's retention policy. First the versions to drop are marked `pruned` in one
 * transaction under the function's row lock, with their reason and an audit row each: from then
 * on nothing can activate them, and the decision survives a crash. Only then are their
 * containers, images and archives removed. A run cut short by Docker or S3 being down leaves
 * marked versions with artifacts behind; every later run finds those by the `pruned` status
 * and finishes them, so pruning converges and only ever deletes what was decided.
 */
export async function pruneFunction(functionId: string, options: PruneOptions = {}): Promise<PruneResult> {
  const actor = options.actor ?? SYSTEM_ACTOR;
  const db = await getDb();
  const decided = await withSwitchLock(functionId, () =>
    db.transaction(async (tx) => {
      const [fn] = await tx.select().from(functions).where(eq(functions.id, functionId)).for("update");
      if (!fn || fn.deletingAt) return null;
      const retention = options.retention ?? resolveSettings(fn.settings).retention;
      const rows = await tx.select().from(functionDeployments).where(eq(functionDeployments.functionId, functionId));
      const now = new Date();
      const pruned: PruneResult["pruned"] = [];
      for (const step of planPrune(rows, retention)) {
        // Re-checked in the statement itself: never the active version, never a pinned one.
        const [row] = await tx
          .update(functionDeployments)
          .set({ status: "pruned", prunedAt: now, pruneReason: step.reason })
          .where(
            and(
              eq(functionDeployments.id, step.id),
              eq(functionDeployments.isActive, false),
              eq(functionDeployments.pinned, false),
              inArray(functionDeployments.status, ["inactive", "failed"]),
            ),
          )
          .returning({ id: functionDeployments.id, version: functionDeployments.version });
        if (row) pruned.push({ version: row.version, deploymentId: row.id, reason: step.reason });
      }
      await writeAudit(
        tx,
        ...pruned.map((p) => ({
          functionId,
          deploymentId: p.deploymentId,
          actor,
          action: "deployment.pruned" as const,
          message: `Pruned v${p.version}: ${p.reason}`,
          metadata: { version: p.version, retention, reason: p.reason },
        })),
      );
      return { retention, pruned };
    }),
  );
  if (!decided) return { functionId, retention: 0, pruned: [], cleaned: [], incomplete: [] };

  const result: PruneResult = { functionId, ...decided, cleaned: [], incomplete: [] };
  await removePrunedArtifacts(functionId, new Set(decided.pruned.map((p) => p.deploymentId)), result, options);
  forgetArtifacts(functionId);
  return result;
}

/** Removes what is left of every pruned version of a function. Idempotent. */
async function removePrunedArtifacts(functionId: string, fresh: Set<string>, result: PruneResult, options: PruneOptions) {
  const db = await getDb();
  const pruned = await db
    .select()
    .from(functionDeployments)
    .where(and(eq(functionDeployments.functionId, functionId), eq(functionDeployments.status, "pruned")))
    .orderBy(functionDeployments.version);
  if (pruned.length === 0) return;

  // One listing each for the whole function; a dependency that is down leaves its part for later.
  const prefix = functionPrefix(functionId);
  const [images, keys] = await Promise.all([
    listImageRecords().then((list) => new ImageIndex(list), (error: unknown) => error as Error),
    listObjectSizes(prefix).catch((error: unknown) => error as Error),
  ]);

  for (const d of pruned) {
    const errors: string[] = [];
    const removedImages: string[] = [];
    let removedArchive: string | null = null;

    if (images instanceof Error) {
      errors.push(describe(images));
    } else {
      const refs = imageRefsToRemove(d, images, fresh.has(d.id));
      try {
        if (refs.length > 0) await getExecutor().stop(d.id);
        for (const ref of refs) {
          await removeImage(ref);
          removedImages.push(ref);
        }
      } catch (error) {
        errors.push(describe(error));
      }
    }

    // Keys outside the function's prefix (the single-version design's) are not in the listing:
    // deleting is idempotent, so those are simply tried each time.
    const archive = d.s3Key;
    const archiveLeft = archive && (!archive.startsWith(prefix) || keys instanceof Error || keys.has(archive));
    if (archive && archiveLeft) {
      if (keys instanceof Error && archive.startsWith(prefix)) {
        errors.push(describe(keys));
      } else {
        try {
          await deleteArchive(archive);
          removedArchive = archive;
        } catch (error) {
          errors.push(describe(error));
        }
      }
    }

    if (removedImages.length > 0 || removedArchive) result.cleaned.push({ version: d.version, images: removedImages, archive: removedArchive });
    if (errors.length > 0) result.incomplete.push({ version: d.version, error: [...new Set(errors)].join("; ") });
    await options.afterVersion?.(d.version);
  }
}

/** The image references to remove for a pruned version: what the host still has of it. */
function imageRefsToRemove(d: Deployment, images: ImageIndex, fresh: boolean): string[] {
  const refs = new Set<string>();
  for (const image of images.of(d)) {
    // By tag when it carries this version's tag (only that tag goes); by id when it is a dangling leftover.
    refs.add(d.imageTag && image.tags.includes(d.imageTag) ? d.imageTag : image.id);
  }
  // Just pruned: try its tag even if the listing missed it (removal of a missing image is a no-op).
  if (fresh && d.imageTag) refs.add(d.imageTag);
  return [...refs];
}

function describe(error: unknown): string {
  return asAppError(error)?.message ?? (error as Error)?.message ?? String(error);
}

export type PruneAllResult = { functions: number; pruned: number; cleaned: number; incomplete: PruneResult[]; failed: { functionId: string; error: string }[] };

/** Applies retention to every function (start-up, scripts/prune.ts). One function's failure does not stop the others. */
export async function pruneAll(options: Omit<PruneOptions, "afterVersion"> = {}): Promise<PruneAllResult> {
  const db = await getDb();
  const all = await db.select({ id: functions.id }).from(functions).where(isNull(functions.deletingAt));
  const summary: PruneAllResult = { functions: all.length, pruned: 0, cleaned: 0, incomplete: [], failed: [] };
  for (const { id } of all) {
    try {
      const result = await pruneFunction(id, options);
      summary.pruned += result.pruned.length;
      summary.cleaned += result.cleaned.length;
      if (result.incomplete.length > 0) summary.incomplete.push(result);
    } catch (error) {
      summary.failed.push({ functionId: id, error: describe(error) });
    }
  }
  return summary;
}

/**
 * Retention after a successful deploy. Never fails the deploy: a prune that cannot finish is
 * logged and recorded as a warning in the audit trail, and the next run completes it.
 */
export async function pruneAfterDeploy(functionId: string, actor: string): Promise<void> {
  let problem: string | null = null;
  try {
    const result = await pruneFunction(functionId, { actor });
    if (result.incomplete.length > 0) {
      problem = `could not yet remove everything of ${result.incomplete.map((i) => `v${i.version}`).join(", ")}: ${result.incomplete[0].error}`;
    }
  } catch (error) {
    problem = describe(error);
  }
  if (!problem) return;
  console.error(`[retention] ${functionId}: ${problem}`);
  try {
    const db = await getDb();
    await writeAudit(db, {
      functionId,
      actor: SYSTEM_ACTOR,
      level: "warn",
      action: "deployment.pruned",
      message: `Retention ${problem}. The next prune finishes it.`,
    });
  } catch {
    // The database is down too: the console line above is all we can leave.
  }
}
