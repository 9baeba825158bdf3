import "server-only";
import type { Deployment, FunctionRow } from "../db/schema";
import { resolveSettings } from "../functions/settings";

/** A deployment as the API and the dashboard show it. */
export function presentDeployment(d: Omit<Deployment, "buildLog">, extra: { imageExists?: boolean; archiveExists?: boolean } = {}) {
  return {
    id: d.id,
    functionId: d.functionId,
    version: d.version,
    status: d.status,
    isActive: d.isActive,
    imageTag: d.imageTag,
    imageId: d.imageId,
    s3Key: d.s3Key,
    archiveSize: d.archiveSize,
    archiveSha256: d.archiveSha256,
    imageSize: d.imageSize,
    deployedBy: d.actor,
    deployedAt: d.deployedAt.toISOString(),
    buildStartedAt: d.buildStartedAt?.toISOString() ?? null,
    buildFinishedAt: d.buildFinishedAt?.toISOString() ?? null,
    buildDurationMs:
      d.buildStartedAt && d.buildFinishedAt ? d.buildFinishedAt.getTime() - d.buildStartedAt.getTime() : null,
    activatedAt: d.activatedAt?.toISOString() ?? null,
    error: d.error,
    pinned: d.pinned,
    prunedAt: d.prunedAt?.toISOString() ?? null,
    pruneReason: d.pruneReason,
    imageExists: extra.imageExists ?? (d.status !== "pruned" && d.imageId !== null),
    archiveExists: extra.archiveExists ?? (d.status !== "pruned" && d.s3Key !== null),
  };
}
export type DeploymentView = ReturnType<typeof presentDeployment>;

export function presentFunction(fn: FunctionRow, active: Deployment | null, latest?: Deployment | null) {
  return {
    id: fn.id,
    name: fn.name,
    runtime: fn.runtime,
    status: fn.status,
    settings: resolveSettings(fn.settings),
    activeDeploymentId: fn.activeDeploymentId,
    activeVersion: active?.version ?? null,
    activeDeployment: active ? presentDeployment(active) : null,
    latestDeployment: latest ? presentDeployment(latest) : null,
    invokePath: `/api/functions/${fn.id}/invoke`,
    createdAt: fn.createdAt.toISOString(),
    updatedAt: fn.updatedAt.toISOString(),
  };
}
export type FunctionView = ReturnType<typeof presentFunction>;
