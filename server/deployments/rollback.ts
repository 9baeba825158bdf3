import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Owner } from "../auth/owner";
import { imageExists } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, type Deployment, type FunctionRow } from "../db/schema";
import { ConflictError, NotFoundError } from "../errors";
import { loadOwnedFunction } from "../functions/load-function";
import { archiveInfo } from "../storage";
import { parseInput } from "../validation";
import { switchActive } from "./activate";
import { writeAudit } from "./audit";
import { createBuildLogWriter } from "./build-log";
import { withSwitchLock } from "./build-queue";
import { buildDeploymentImage, fetchArchive } from "./run-build";

const rollbackSchema = z.object({
  version: z
    .number({ error: (issue) => (issue.input === undefined ? "version is required, e.g. {\"version\": 1}." : "version must be a whole number, e.g. {\"version\": 1}.") })
    .int({ error: "version must be a whole number, e.g. {\"version\": 1}." })
    .positive({ error: "version must be 1 or more." }),
});

export type RollbackResult = { message: string; version: number; deploymentId: string; rebuilt: boolean; previousVersion: number | null };

/** Why a deployment cannot be made active, or null when it can. */
function whyNotActivatable(fn: FunctionRow, d: Deployment): string | null {
  const v = `Version ${d.version} of ${fn.name}`;
  if (d.isActive) return `${v} is already active.`;
  switch (d.status) {
    case "failed":
      return `${v} failed to build, so there is nothing to run${d.error ? `: ${d.error}` : "."} Deploy a fixed version instead.`;
    case "queued":
    case "building":
      return `${v} is still building. Wait for it to finish; it becomes active on its own unless a rollback happened meanwhile.`;
    case "pruned":
      return `${v} was pruned by the retention policy${d.prunedAt ? ` on ${d.prunedAt.toISOString().slice(0, 10)}` : ""}: its image and archive are gone. Deploy it again to bring it back.`;
  }
  if (!d.imageId) return `${v} was never built.`;
  return null;
}

/**
 * Makes an earlier (or a newer, built) version active again through the zero-downtime switch.
 * Instant when its image exists (and its container is still warm); rebuilt from the archive in
 * S3 first when the image was removed.
 */
export async function rollbackFunction(owner: Owner, functionId: string, input: unknown): Promise<RollbackResult> {
  const { version } = parseInput(rollbackSchema, input);
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);

  return withSwitchLock(fn.id, async () => {
    const [target] = await db
      .select()
      .from(functionDeployments)
      .where(and(eq(functionDeployments.functionId, fn.id), eq(functionDeployments.version, version)));
    if (!target) throw new NotFoundError(`Version ${version} of ${fn.name} does not exist.`);
    const reason = whyNotActivatable(fn, target);
    if (reason) throw new ConflictError(reason, { status: target.status });

    const [active] = await db
      .select({ version: functionDeployments.version })
      .from(functionDeployments)
      .where(and(eq(functionDeployments.functionId, fn.id), eq(functionDeployments.isActive, true)));
    const direction = active && version > active.version ? "forward" : "back";

    let rebuilt = false;
    if (!(await imageExists(target.imageTag!))) {
      await rebuildFromArchive(fn, target, owner.actor);
      rebuilt = true;
    }

    const verb = direction === "forward" ? `Rolled ${fn.name} forward to v${version}` : `Rolled ${fn.name} back to v${version}`;
    const message = `${verb}${active ? ` from v${active.version}` : ""}${rebuilt ? " (its image was rebuilt from the archive in storage)" : ""}`;
    await switchActive({ fn, target, actor: owner.actor, reason: "rollback", message, metadata: { direction, rebuilt } });
    return { message, version, deploymentId: target.id, rebuilt, previousVersion: active?.version ?? null };
  });
}

async function rebuildFromArchive(fn: FunctionRow, target: Deployment, actor: string): Promise<void> {
  const info = target.s3Key ? await archiveInfo(target.s3Key) : null;
  if (!info) {
    throw new ConflictError(
      `Version ${target.version} of ${fn.name} cannot be activated: its image was removed and its archive is missing from storage, so it cannot be rebuilt. Deploy it again.`,
    );
  }
  const db = await getDb();
  await writeAudit(db, {
    functionId: fn.id,
    deploymentId: target.id,
    actor,
    action: "rebuild.started",
    message: `Rebuilding v${target.version}: its image is missing`,
    metadata: { version: target.version },
  });
  const log = createBuildLogWriter(target.id);
  log.append(`\n--- Rebuild of v${target.version} from ${target.s3Key} (${new Date().toISOString()}) ---\n`);
  const archive = await fetchArchive(target.s3Key!);
  try {
    await buildDeploymentImage(fn, target, archive.path, (text) => log.append(text));
  } catch (error) {
    await log.flush();
    await writeAudit(db, {
      functionId: fn.id,
      deploymentId: target.id,
      actor,
      level: "error",
      action: "rebuild.failed",
      message: `Rebuilding v${target.version} failed: ${(error as Error).message}`,
      metadata: { version: target.version },
    });
    throw error;
  } finally {
    await archive.cleanup();
  }
  await log.flush();
  await writeAudit(db, {
    functionId: fn.id,
    deploymentId: target.id,
    actor,
    action: "rebuild.succeeded",
    message: `Rebuilt v${target.version} from its archive`,
    metadata: { version: target.version },
  });
}
