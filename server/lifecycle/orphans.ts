import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { removeImage } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions } from "../db/schema";
import { SYSTEM_ACTOR, writeAudit } from "../deployments/audit";
import { forgetArtifacts } from "../deployments/artifacts";
import { withSwitchLock } from "../deployments/build-queue";
import { asAppError } from "../errors";
import { purgeFunction } from "../functions/delete-function";
import { deleteArchive } from "../storage";
import { ImageIndex, listImageRecords, listObjectRecords, type ImageRecord } from "./inventory";

/** Where every function's archives live (DESIGN.md §3); objects elsewhere in the bucket are not ours. */
const ARCHIVES_PREFIX = "functions/";
/** Uploads are stored before their deployment row commits: younger objects are never called orphans. */
export const DEFAULT_ARCHIVE_GRACE_MS = 60 * 60_000;

export type OrphanImage = { id: string; tags: string[]; functionId: string | null; deploymentId: string | null; reason: string };
export type OrphanArchive = { key: string; size: number; reason: string };
export type BrokenDeployment = {
  functionId: string;
  deploymentId: string;
  version: number;
  status: string;
  missing: ("image" | "archive")[];
  /** "mark-pruned": the repair records it as pruned; "none": only a new deploy helps. */
  repair: "mark-pruned" | "none";
  reason: string;
};
export type OrphanReport = {
  images: OrphanImage[];
  archives: OrphanArchive[];
  deployments: BrokenDeployment[];
  /** Functions whose delete was interrupted: the repair finishes it. */
  pendingDeletes: string[];
  /** Dependencies that did not answer: their part of the check is missing. */
  unavailable: ("storage" | "docker")[];
};

export type FindOrphansOptions = { archiveGraceMs?: number; now?: Date };

/**
 * Compares Docker, S3 and the database: images with our labels that no deployment owns (or
 * whose version was pruned), archives under functions/ that no deployment names (or whose
 * version was pruned), built versions whose image and archive both vanished, and deletes that
 * were cut short. Read-only.
 */
export async function findOrphans(options: FindOrphansOptions = {}): Promise<OrphanReport> {
  const db = await getDb();
  const fns = await db.select({ id: functions.id, deletingAt: functions.deletingAt }).from(functions);
  const rows = await db
    .select({
      id: functionDeployments.id,
      functionId: functionDeployments.functionId,
      version: functionDeployments.version,
      status: functionDeployments.status,
      isActive: functionDeployments.isActive,
      imageTag: functionDeployments.imageTag,
      s3Key: functionDeployments.s3Key,
    })
    .from(functionDeployments);
  const deleting = new Set(fns.filter((f) => f.deletingAt).map((f) => f.id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byTag = new Map(rows.filter((r) => r.imageTag).map((r) => [r.imageTag!, r]));
  const byKey = new Map(rows.filter((r) => r.s3Key).map((r) => [r.s3Key!, r]));

  const unavailable: OrphanReport["unavailable"] = [];
  const [images, objects] = await Promise.all([
    listImageRecords().catch((error: unknown) => down(error, "docker", unavailable)),
    listObjectRecords(ARCHIVES_PREFIX).catch((error: unknown) => down(error, "storage", unavailable)),
  ]);

  const report: OrphanReport = { images: [], archives: [], deployments: [], pendingDeletes: [...deleting], unavailable };

  for (const image of images ?? []) {
    if (!image.managed || (image.functionId && deleting.has(image.functionId))) continue;
    const owner = (image.deploymentId && byId.get(image.deploymentId)) || image.tags.map((t) => byTag.get(t)).find(Boolean);
    if (!owner) {
      const known = image.functionId && fns.some((f) => f.id === image.functionId);
      report.images.push(orphanImage(image, known || !image.functionId ? "no deployment has this image" : "its function is not in this database (deleted, or another platform's on a shared Docker host)"));
    }
    else if (owner.status === "pruned") report.images.push(orphanImage(image, `left over from pruned v${owner.version}`));
  }

  const now = (options.now ?? new Date()).getTime();
  const grace = options.archiveGraceMs ?? DEFAULT_ARCHIVE_GRACE_MS;
  for (const object of objects ?? []) {
    const functionId = object.key.slice(ARCHIVES_PREFIX.length).split("/")[0];
    if (deleting.has(functionId)) continue;
    if (object.lastModified && now - object.lastModified.getTime() < grace) continue;
    const owner = byKey.get(object.key);
    if (!owner) report.archives.push({ key: object.key, size: object.size, reason: "no deployment has this archive" });
    else if (owner.status === "pruned") report.archives.push({ key: object.key, size: object.size, reason: `left over from pruned v${owner.version}` });
  }

  // Built versions whose artifacts are gone: only decidable when both dependencies answered.
  if (images && objects) {
    const index = new ImageIndex(images);
    const keys = new Set(objects.map((o) => o.key));
    for (const d of rows) {
      if (deleting.has(d.functionId) || (d.status !== "active" && d.status !== "inactive")) continue;
      // Keys outside functions/ (the single-version design's) are not listed: not judged here.
      const archiveKnown = !d.s3Key || d.s3Key.startsWith(ARCHIVES_PREFIX);
      const missing: BrokenDeployment["missing"] = [];
      if (index.of(d).length === 0) missing.push("image");
      if (archiveKnown && (!d.s3Key || !keys.has(d.s3Key))) missing.push("archive");
      if (missing.length < 2) continue;
      report.deployments.push({
        functionId: d.functionId,
        deploymentId: d.id,
        version: d.version,
        status: d.status,
        missing,
        repair: d.isActive ? "none" : "mark-pruned",
        reason: d.isActive
          ? `active v${d.version} has neither its image nor its archive any more: it cannot start again; deploy a new version`
          : `v${d.version} has neither its image nor its archive any more: it can no longer be activated`,
      });
    }
  }
  return report;
}

export type RepairSelection = { images?: string[]; archives?: string[]; deployments?: string[]; pendingDeletes?: string[] };
export type RepairResult = {
  removedImages: string[];
  removedArchives: string[];
  markedPruned: string[];
  finishedDeletes: string[];
  failed: { item: string; error: string }[];
};

/**
 * Repairs what a fresh check finds (optionally only the items named in `only`, by image id,
 * archive key, deployment id and function id): removes orphan images and archives, records
 * versions whose artifacts vanished as pruned, and finishes interrupted deletes. Each item is
 * judged again just before it is touched, so a report that went stale cannot delete anything
 * that has gained an owner since.
 */
export async function repairOrphans(options: FindOrphansOptions & { only?: RepairSelection; actor?: string } = {}): Promise<RepairResult> {
  const report = await findOrphans(options);
  const pick = <T>(items: T[], idOf: (item: T) => string, wanted?: string[]) => (wanted ? items.filter((i) => wanted.includes(idOf(i))) : items);
  const only = options.only ?? {};
  const result: RepairResult = { removedImages: [], removedArchives: [], markedPruned: [], finishedDeletes: [], failed: [] };
  const attempt = async (item: string, work: () => Promise<void>) => {
    try {
      await work();
      return true;
    } catch (error) {
      result.failed.push({ item, error: asAppError(error)?.message ?? (error as Error).message });
      return false;
    }
  };

  for (const functionId of pick(report.pendingDeletes, (f) => f, only.pendingDeletes)) {
    if (await attempt(`function ${functionId}`, () => purgeFunction(functionId))) result.finishedDeletes.push(functionId);
  }
  for (const image of pick(report.images, (i) => i.id, only.images)) {
    // By tag when tagged (several tags: each goes), by id when dangling.
    const refs = image.tags.length > 0 ? image.tags : [image.id];
    if (await attempt(`image ${image.tags[0] ?? image.id}`, async () => { for (const ref of refs) await removeImage(ref); })) {
      result.removedImages.push(image.id);
    }
  }
  for (const archive of pick(report.archives, (a) => a.key, only.archives)) {
    if (await attempt(`archive ${archive.key}`, () => deleteArchive(archive.key))) result.removedArchives.push(archive.key);
  }
  for (const broken of pick(report.deployments, (d) => d.deploymentId, only.deployments)) {
    if (broken.repair !== "mark-pruned") continue;
    const marked = await attempt(`deployment ${broken.deploymentId}`, () => markVanished(broken, options.actor ?? SYSTEM_ACTOR));
    if (marked) result.markedPruned.push(broken.deploymentId);
  }
  for (const functionId of new Set(report.deployments.map((d) => d.functionId))) forgetArtifacts(functionId);
  return result;
}

/** Records an inactive version whose artifacts vanished as pruned, under the same guards as retention. */
async function markVanished(broken: BrokenDeployment, actor: string): Promise<void> {
  const db = await getDb();
  const reason = "Its image and archive vanished from Docker and S3 (found by the orphan check).";
  await withSwitchLock(broken.functionId, () =>
    db.transaction(async (tx) => {
      await tx.select({ id: functions.id }).from(functions).where(eq(functions.id, broken.functionId)).for("update");
      const [row] = await tx
        .update(functionDeployments)
        .set({ status: "pruned", prunedAt: new Date(), pruneReason: reason })
        .where(and(eq(functionDeployments.id, broken.deploymentId), eq(functionDeployments.isActive, false), inArray(functionDeployments.status, ["inactive"])))
        .returning({ id: functionDeployments.id, version: functionDeployments.version });
      if (!row) return;
      await writeAudit(tx, {
        functionId: broken.functionId,
        deploymentId: row.id,
        actor,
        level: "warn",
        action: "deployment.pruned",
        message: `Marked v${row.version} pruned: ${reason}`,
        metadata: { version: row.version, reason, missing: broken.missing },
      });
    }),
  );
}

function orphanImage(image: ImageRecord, reason: string): OrphanImage {
  return { id: image.id, tags: image.tags, functionId: image.functionId, deploymentId: image.deploymentId, reason };
}

function down(error: unknown, dependency: "storage" | "docker", unavailable: OrphanReport["unavailable"]): null {
  if (asAppError(error)?.code !== "unavailable") throw error;
  unavailable.push(dependency);
  return null;
}

