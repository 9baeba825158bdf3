"use client";

import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback } from "react";
import type { DeploymentView, FunctionView } from "@/server/deployments/present";
import type { StorageUsage } from "@/server/lifecycle/storage-usage";
import { getJson, keys } from "../lib/api";

export type DeploymentPage = { deployments: DeploymentView[]; nextCursor: string | null };
export type DeploymentWithLog = DeploymentView & { buildLog: string };
export type AuditEntry = {
  id: string;
  action: string;
  level: string;
  message: string;
  actor: string;
  deploymentId: string | null;
  version: number | null;
  metadata: Record<string, unknown> | null;
  createdAt: string;
};
export type AuditPage = { logs: AuditEntry[]; nextCursor: string | null };
export type VersionStats = { version: number; count: number; errors: number; avgMs: number; p95Ms: number; lastAt: string };
export type InvocationStats = {
  since: string;
  byVersion: VersionStats[];
  recent: { id: string; version: number; statusCode: number; durationMs: number; createdAt: string }[];
};

export const PAGE_SIZE = 20;
const inProgress = (status: string | undefined) => status === "queued" || status === "building";

export function isInProgress(status: string | undefined): boolean {
  return inProgress(status);
}

/** The function, polled briskly while a build runs so status and active version follow it. */
export function useFunction(id: string, initialData: FunctionView) {
  return useQuery({
    queryKey: keys.fn(id),
    queryFn: ({ signal }) => getJson<FunctionView>(`/api/functions/${id}`, signal),
    initialData,
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === "building" || inProgress(q.state.data.latestDeployment?.status)) ? 1500 : 15_000,
  });
}

export function useDeployments(id: string, firstPage: DeploymentPage) {
  return useInfiniteQuery({
    queryKey: keys.deployments(id),
    queryFn: ({ pageParam, signal }) =>
      getJson<DeploymentPage>(`/api/functions/${id}/deployments?limit=${PAGE_SIZE}${pageParam ? `&cursor=${pageParam}` : ""}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: { pages: [firstPage], pageParams: [null] },
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.deployments.some((d) => inProgress(d.status))) ? 1500 : 15_000),
  });
}

/** One deployment with its build log; polled every second while it builds (the live log). */
export function useDeployment(id: string, version: number | null, enabled = true) {
  return useQuery({
    queryKey: keys.deployment(id, version ?? 0),
    queryFn: ({ signal }) => getJson<DeploymentWithLog>(`/api/functions/${id}/deployments/${version}`, signal),
    enabled: enabled && version !== null,
    refetchInterval: (q) => (!q.state.data || inProgress(q.state.data.status) ? 1000 : false),
    refetchIntervalInBackground: true,
  });
}

export function useAuditLog(id: string) {
  return useInfiniteQuery({
    queryKey: keys.logs(id),
    queryFn: ({ pageParam, signal }) =>
      getJson<AuditPage>(`/api/functions/${id}/logs?limit=15${pageParam ? `&cursor=${pageParam}` : ""}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 10_000,
  });
}

export function useInvocations(id: string) {
  return useQuery({
    queryKey: keys.invocations(id),
    queryFn: ({ signal }) => getJson<InvocationStats>(`/api/functions/${id}/invocations`, signal),
    refetchInterval: 5_000,
  });
}

export type { StorageUsage };

/**
 * Archive and image bytes, per version, and what retention would free. Asking Docker and S3 is
 * not free, so it is polled slowly; deploys, switches, pins and settings invalidate it at once.
 */
export function useStorage(id: string) {
  return useQuery({
    queryKey: keys.storage(id),
    queryFn: ({ signal }) => getJson<StorageUsage>(`/api/functions/${id}/storage`, signal),
    refetchInterval: 60_000,
    // Docker runs one disk-usage scan at a time and refuses a second meanwhile: try again shortly.
    retry: 3,
  });
}

/** Everything about one function (and the list) is stale after a deploy, switch or settings change. */
export function useRefreshFunction(id: string) {
  const client = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ["function", id] }),
      client.invalidateQueries({ queryKey: keys.functions }),
    ]);
  }, [client, id]);
}

/** Shows a switch in the timeline at once, before the refetch confirms it. */
export function markActiveInTimeline(data: InfiniteData<DeploymentPage> | undefined, version: number) {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      deployments: page.deployments.map((d) =>
        d.version === version
          ? { ...d, isActive: true, status: "active" as const, activatedAt: new Date().toISOString() }
          : d.isActive
            ? { ...d, isActive: false, status: "inactive" as const }
            : d,
      ),
    })),
  };
}

/** Shows a keep / stop keeping in the timeline at once, before the refetch confirms it. */
export function markPinnedInTimeline(data: InfiniteData<DeploymentPage> | undefined, version: number, pinned: boolean) {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      deployments: page.deployments.map((d) => (d.version === version ? { ...d, pinned } : d)),
    })),
  };
}
