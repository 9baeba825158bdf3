import "server-only";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { validateArchiveFile } from "../archive";
import { buildImage, imageLabels } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions, type Deployment, type FunctionRow } from "../db/schema";
import { asAppError, describeForLog } from "../errors";
import { config } from "../config";
import { downloadArchive } from "../storage";
import { switchActive, refreshIdleFunctionStatus } from "./activate";
import { writeAudit } from "./audit";
import { createBuildLogWriter } from "./build-log";
import { withSwitchLock } from "./build-queue";
import { pruneAfterDeploy } from "../lifecycle/prune";

export type LocalArchive = { path: string; cleanup(): Promise<void> };

/** Fetches a deployment's archive from S3 into a temporary file. */
export async function fetchArchive(s3Key: string): Promise<LocalArchive> {
  const dir = await mkdtemp(path.join(tmpdir(), "dartcloud-archive-"));
  const file = path.join(dir, "function.tar.gz");
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await downloadArchive(s3Key, file);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { path: file, cleanup };
}

/** Builds the deployment's image from the archive; records image id and size. Throws on failure. */
export async function buildDeploymentImage(fn: FunctionRow, deployment: Deployment, archivePath: string, log: (text: string) => void) {
  const manifest = await validateArchiveFile(archivePath);
  const image = await buildImage({
    archivePath,
    runtime: fn.runtime,
    manifest,
    tag: deployment.imageTag!,
    labels: imageLabels({ functionId: fn.id, version: deployment.version, deploymentId: deployment.id }),
    onLog: log,
    timeoutMs: config.limits.buildTimeoutMs,
  });
  const db = await getDb();
  await db
    .update(functionDeployments)
    .set({ imageId: image.imageId, imageSize: image.size })
    .where(eq(functionDeployments.id, deployment.id));
  return image;
}

/**
 * The build job of one deployment: build the image, then switch to it without downtime.
 * Any failure marks the deployment failed with its log and error; the active version is
 * untouched and keeps serving.
 */
export async function runBuild(deploymentId: string, archive: LocalArchive | null, actor: string): Promise<void> {
  const db = await getDb();
  const log = createBuildLogWriter(deploymentId);
  let deployment: Deployment | undefined;
  let fn: FunctionRow | undefined;
  try {
    const [row] = await db
      .select({ d: functionDeployments, fn: functions })
      .from(functionDeployments)
      .innerJoin(functions, eq(functions.id, functionDeployments.functionId))
      .where(eq(functionDeployments.id, deploymentId));
    if (!row || row.d.status !== "queued") {
      await archive?.cleanup(); // deleted, or recovered meanwhile
      return;
    }
    deployment = row.d;
    fn = row.fn;
    const startedAt = new Date();
    await db.update(functionDeployments).set({ status: "building", buildStartedAt: startedAt }).where(eq(functionDeployments.id, deploymentId));
    log.append(`Building ${fn.name} v${deployment.version} (${fn.runtime}) as ${deployment.imageTag}\n`);

    const local = archive ?? (await fetchArchive(deployment.s3Key!));
    try {
      await buildDeploymentImage(fn, deployment, local.path, (text) => log.append(text));
    } finally {
      await local.cleanup();
    }
    const finishedAt = new Date();
    await log.flush();
    await db.transaction(async (tx) => {
      await tx.update(functionDeployments).set({ buildFinishedAt: finishedAt }).where(eq(functionDeployments.id, deploymentId));
      await writeAudit(tx, {
        functionId: fn!.id,
        deploymentId,
        actor,
        action: "build.succeeded",
        message: `Built v${deployment!.version} in ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s`,
        metadata: { version: deployment!.version, buildMs: finishedAt.getTime() - startedAt.getTime() },
      });
    });
    log.append(`Image built. Starting v${deployment.version} and checking it answers…\n`);

    const result = await withSwitchLock(fn.id, () =>
      switchActive({
        fn: fn!,
        target: { ...deployment!, buildStartedAt: startedAt, buildFinishedAt: finishedAt },
        actor,
        reason: "deploy",
        message: `Activated v${deployment!.version}`,
      }),
    );
    if (!result.switched) {
      await db.transaction(async (tx) => {
        await tx.update(functionDeployments).set({ status: "inactive" }).where(eq(functionDeployments.id, deploymentId));
        await writeAudit(tx, {
          functionId: fn!.id,
          deploymentId,
          actor,
          action: "deployment.kept-inactive",
          message: `Built v${deployment!.version} but left it inactive: a rollback happened after it was uploaded (${result.supersededBy}). Activate it to roll forward.`,
          metadata: { version: deployment!.version },
        });
      });
      log.append(`v${deployment.version} is built but stays inactive: a rollback happened while it was building.\n`);
    } else {
      log.append(`v${deployment.version} is live.\n`);
    }
    await log.flush();
    // Retention runs in the build's queue slot so builds and prunes of a function never overlap.
    if (result.switched) await pruneAfterDeploy(fn.id, actor);
  } catch (error) {
    if (archive) await archive.cleanup().catch(() => {});
    const message = asAppError(error)?.message ?? (error as Error).message ?? String(error);
    log.append(`\nDeployment failed: ${message}\n`);
    await log.flush();
    // Recording the failure must not be lost to a passing database fault either, or the row
    // would stay queued/building until the next restart: a few retries, spaced out.
    for (let attempt = 1; ; attempt++) {
      try {
        await markFailed(deploymentId, message, actor);
        return;
      } catch (markError) {
        if (attempt >= 5) {
          console.error(`[build] could not record that ${deploymentId} failed (recovery at next start will):`, describeForLog(markError));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));
      }
    }
  }
}

/** Marks a deployment that has not settled yet as failed, with its audit row, and refreshes the function's status. */
async function markFailed(deploymentId: string, message: string, actor: string): Promise<void> {
  const db = await getDb();
  const failed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(functionDeployments)
      .set({ status: "failed", error: message, buildFinishedAt: new Date() })
      .where(and(eq(functionDeployments.id, deploymentId), inArray(functionDeployments.status, ["queued", "building"])))
      .returning({ functionId: functionDeployments.functionId, version: functionDeployments.version });
    if (!row) return null; // deleted or settled meanwhile
    await writeAudit(tx, {
      functionId: row.functionId,
      deploymentId,
      actor,
      level: "error",
      action: "build.failed",
      message: `v${row.version} failed: ${message}`,
      metadata: { version: row.version },
    });
    return row;
  });
  if (failed) await refreshIdleFunctionStatus(failed.functionId);
}
