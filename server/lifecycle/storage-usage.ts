import "server-only";
import { eq } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments } from "../db/schema";
import { asAppError } from "../errors";
import { loadOwnedFunction } from "../functions/load-function";
import { resolveSettings } from "../functions/settings";
import { functionPrefix } from "../storage";
import { ImageIndex, listImageRecords, listObjectSizes } from "./inventory";
import { planPrune } from "./retention";

export type VersionUsage = {
  version: number;
  deploymentId: string;
  status: string;
  isActive: boolean;
  pinned: boolean;
  archiveBytes: number;
  /** Bytes its image holds alone: what removing it frees (layers identical to other images' are shared). */
  imageBytes: number;
  /** The image's size as `docker images` shows it, shared base layers included. */
  imageSize: number;
  /** Retention would prune this version on its next run. */
  wouldPrune: boolean;
};

export type StorageUsage = {
  functionId: string;
  retention: number;
  /** Bytes of the function's archives in S3; null when S3 could not be asked. */
  archiveBytes: number | null;
  /** Bytes its images hold on their own (base layers shared with other images not counted); null when Docker could not be asked. */
  imageBytes: number | null;
  /** What the next retention run would free: versions it would prune, and leftovers of pruned ones. */
  reclaimableBytes: number;
  byVersion: VersionUsage[];
  /** Dependencies that did not answer, e.g. ["docker"]: their figures are missing. */
  unavailable: ("storage" | "docker")[];
};

/** How much storage a function uses, per version, and how much retention would give back. */
export async function getStorageUsage(owner: Owner, functionId: string): Promise<StorageUsage> {
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);
  const deployments = await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, fn.id));
  const retention = resolveSettings(fn.settings).retention;
  const [objects, images] = await Promise.all([
    listObjectSizes(functionPrefix(fn.id)).catch(unavailable),
    listImageRecords().then((list) => new ImageIndex(list), unavailable),
  ]);

  const planned = new Set(planPrune(deployments, retention).map((p) => p.id));
  const byVersion: VersionUsage[] = deployments
    .sort((a, b) => b.version - a.version)
    .map((d) => ({
      version: d.version,
      deploymentId: d.id,
      status: d.status,
      isActive: d.isActive,
      pinned: d.pinned,
      archiveBytes: objects && d.s3Key ? (objects.get(d.s3Key) ?? 0) : 0,
      imageBytes: images ? images.of(d).reduce((sum, image) => sum + image.uniqueSize, 0) : 0,
      imageSize: images ? images.of(d).reduce((sum, image) => sum + image.size, 0) : 0,
      wouldPrune: planned.has(d.id),
    }));
  const reclaimableBytes = byVersion
    .filter((v) => v.wouldPrune || v.status === "pruned")
    .reduce((sum, v) => sum + v.archiveBytes + v.imageBytes, 0);

  return {
    functionId: fn.id,
    retention,
    archiveBytes: objects ? [...objects.values()].reduce((a, b) => a + b, 0) : null,
    imageBytes: images ? sumImages(images, fn.id, deployments) : null,
    reclaimableBytes,
    byVersion,
    unavailable: [...(objects ? [] : ["storage" as const]), ...(images ? [] : ["docker" as const])],
  };
}

/** Every image of the function once: the versions' own, and any others labelled with the function. */
function sumImages(images: ImageIndex, functionId: string, deployments: { id: string; imageTag: string | null }[]): number {
  const mine = new Set(deployments.flatMap((d) => images.of(d)));
  for (const image of images.images) if (image.functionId === functionId) mine.add(image);
  return [...mine].reduce((sum, image) => sum + image.uniqueSize, 0);
}

function unavailable(error: unknown): null {
  if (asAppError(error)?.code === "unavailable") return null;
  throw error;
}
