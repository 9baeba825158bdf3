import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { checkRuntimeFiles, formatSize, type ReceivedArchive } from "../archive";
import type { Owner } from "../auth/owner";
import { imageTag } from "../build";
import { getDb, type Tx } from "../db/client";
import { functionDeployments, functions, type FunctionRow, type Runtime } from "../db/schema";
import { ConflictError, InvalidInputError } from "../errors";
import { insertFunction } from "../functions/create-function";
import { functionNameSchema, runtimeSchema } from "../functions/input";
import { functionNotFound, loadOwnedFunction } from "../functions/load-function";
import { archiveKey, putArchive } from "../storage";
import { parseInput } from "../validation";
import { writeAudit } from "./audit";
import { getBuildQueue } from "./build-queue";
import { runBuild } from "./run-build";
import { waitForDeployment } from "./wait-for-deployment";

export type DeployTarget = { functionId: string } | { name: unknown; runtime?: unknown };

export type DeployAccepted = {
  id: string;
  name: string;
  version: number;
  deploymentId: string;
  status: string;
  isNewFunction: boolean;
  error?: string | null;
};

const byNameSchema = z.object({ name: functionNameSchema, runtime: runtimeSchema.optional() });

/** The runtime an archive is for, from the files at its root. */
function detectRuntime(files: string[]): Runtime | null {
  const set = new Set(files);
  if (set.has("Dockerfile")) return "dockerfile";
  if (set.has("pubspec.yaml")) return "dart";
  if (set.has("package.json")) return "node";
  return null;
}

/**
 * Deploys an uploaded, already validated archive as the next version of a function (creating
 * the function on first deploy by name). The version is allocated under the function's row
 * lock and the archive stored in S3 inside the same transaction, so a failure leaves no row,
 * no gap in versions, and nothing half-done. The build then runs in the background queue.
 */
export async function deployVersion(
  owner: Owner,
  target: DeployTarget,
  archive: ReceivedArchive,
  options: { wait?: boolean } = {},
): Promise<DeployAccepted> {
  let handedOff = false;
  try {
    const db = await getDb();
    const accepted = await db.transaction(async (tx) => {
      const { fn, isNew } = await lockTargetFunction(tx, owner, target, archive);
      checkRuntimeFiles(archive.manifest, fn.runtime);
      const [{ version }] = await tx
        .update(functions)
        .set({ nextVersion: sql`${functions.nextVersion} + 1`, updatedAt: new Date(), ...(fn.activeDeploymentId ? {} : { status: "building" as const }) })
        .where(eq(functions.id, fn.id))
        .returning({ version: sql<number>`${functions.nextVersion} - 1` });
      const key = archiveKey(fn.id, version);
      await putArchive(key, archive.path, { size: archive.size, sha256: archive.sha256 });
      const [deployment] = await tx
        .insert(functionDeployments)
        .values({
          functionId: fn.id,
          version,
          status: "queued",
          imageTag: imageTag(fn.id, version),
          s3Key: key,
          archiveSha256: archive.sha256,
          archiveSize: archive.size,
          deployedBy: owner.userId,
          actor: owner.actor,
        })
        .returning();
      await writeAudit(tx, {
        functionId: fn.id,
        deploymentId: deployment.id,
        actor: owner.actor,
        action: "deploy.started",
        message: `Uploaded v${version} (${formatSize(archive.size)}, sha256 ${archive.sha256.slice(0, 12)}…)`,
        metadata: { version, archiveSize: archive.size, archiveSha256: archive.sha256, s3Key: key },
      });
      return { id: fn.id, name: fn.name, version, deploymentId: deployment.id, status: deployment.status as string, isNewFunction: isNew };
    });

    handedOff = true;
    void getBuildQueue().enqueue(accepted.id, accepted.deploymentId, () => runBuild(accepted.deploymentId, archive, owner.actor));
    if (!options.wait) return accepted;
    const final = await waitForDeployment(accepted.deploymentId);
    return { ...accepted, status: final.status, error: final.error };
  } finally {
    if (!handedOff) await archive.cleanup();
  }
}

async function lockTargetFunction(
  tx: Tx,
  owner: Owner,
  target: DeployTarget,
  archive: ReceivedArchive,
): Promise<{ fn: FunctionRow; isNew: boolean }> {
  if ("functionId" in target) {
    return { fn: await loadOwnedFunction(tx, owner.userId, target.functionId, { forUpdate: true }), isNew: false };
  }
  const { name, runtime } = parseInput(byNameSchema, { name: target.name, runtime: target.runtime || undefined });
  const [existing] = await tx
    .select()
    .from(functions)
    .where(and(eq(functions.ownerId, owner.userId), eq(functions.name, name), isNull(functions.deletingAt)))
    .for("update");
  if (existing) {
    if (runtime && runtime !== existing.runtime) {
      throw new ConflictError(`Function ${name} uses the ${existing.runtime} runtime; this upload asks for ${runtime}. Deploy it under another name to change runtime.`);
    }
    return { fn: existing, isNew: false };
  }
  const chosen = runtime ?? detectRuntime(archive.manifest.files);
  if (!chosen) {
    throw new InvalidInputError("Could not tell the runtime from the archive: add a Dockerfile, pubspec.yaml or package.json at its root, or send runtime=dart|node|dockerfile.");
  }
  const created = await insertFunction(tx, owner, { name, runtime: chosen });
  if (created) {
    const [locked] = await tx.select().from(functions).where(eq(functions.id, created.id)).for("update");
    return { fn: locked, isNew: true };
  }
  // Another deploy created it a moment ago (we waited on its unique key): deploy to that one.
  const [raced] = await tx
    .select()
    .from(functions)
    .where(and(eq(functions.ownerId, owner.userId), eq(functions.name, name)))
    .for("update");
  if (!raced) throw functionNotFound(name);
  if (raced.deletingAt) throw new ConflictError(`Function ${name} is being deleted. Try again in a moment, or deploy under another name.`);
  return { fn: raced, isNew: false };
}
