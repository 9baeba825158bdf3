"use client";

import clsx from "clsx";
import { useState } from "react";
import type { DeploymentView } from "@/server/deployments/present";
import { Mono } from "../mono";
import { RelativeTime } from "../relative-time";
import { StatusBadge, statusDotClass } from "../status-badge";
import { Card } from "../ui/card";
import { Button } from "../ui/button";
import { Notice } from "../ui/field";
import { errorMessage } from "../lib/api";
import { formatBytes, formatDuration, shortHash } from "../lib/format";
import { BuildLogDialog } from "./build-log-dialog";
import { KeepToggle } from "./keep-toggle";
import { RollbackButton } from "./rollback-dialog";
import { useDeployments, type DeploymentPage } from "./queries";

/** Built versions that are not active can be switched to; failed, pruned and running ones cannot. */
function canActivate(d: DeploymentView): boolean {
  return !d.isActive && d.status === "inactive" && (d.imageExists || d.archiveExists);
}

/** A version that built and still has something to keep can be kept (pinned) against retention. */
function canKeep(d: DeploymentView): boolean {
  return d.status === "active" || d.status === "inactive";
}

/** Every deployment, newest first, as a vertical timeline with rollback on each built version. */
export function DeploymentTimeline({
  functionId,
  functionName,
  activeVersion,
  firstPage,
}: {
  functionId: string;
  functionName: string;
  activeVersion: number | null;
  firstPage: DeploymentPage;
}) {
  const query = useDeployments(functionId, firstPage);
  const [switched, setSwitched] = useState<string | null>(null);
  const deployments = query.data.pages.flatMap((p) => p.deployments);
  // The active marker follows the list itself (updated at once on a switch), not the header.
  const active = deployments.find((d) => d.isActive)?.version ?? activeVersion;

  return (
    <Card
      id="timeline"
      title="Deployments"
      description="Every upload, newest first. Any version that built can be made active again; a kept one is never pruned."
    >
      <div aria-live="polite" className="empty:hidden">
        {switched ? (
          <div className="mb-4">
            <Notice tone="success">{switched}</Notice>
          </div>
        ) : null}
      </div>
      {deployments.length === 0 ? (
        <p className="py-6 text-center text-sm text-zinc-500">No deployments yet. Drop an archive above to deploy v1.</p>
      ) : (
        <ol aria-label="Deployment history" className="relative">
          {deployments.map((d, i) => (
            <TimelineItem
              key={d.id}
              d={d}
              last={i === deployments.length - 1}
              functionId={functionId}
              functionName={functionName}
              activeVersion={active}
              onSwitched={setSwitched}
            />
          ))}
        </ol>
      )}
      {query.error ? <Notice tone="error">Could not refresh the history: {errorMessage(query.error)}</Notice> : null}
      {query.hasNextPage ? (
        <div className="mt-2 flex justify-center">
          <Button onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load older deployments"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function TimelineItem({
  d,
  last,
  functionId,
  functionName,
  activeVersion,
  onSwitched,
}: {
  d: DeploymentView;
  last: boolean;
  functionId: string;
  functionName: string;
  activeVersion: number | null;
  onSwitched: (message: string) => void;
}) {
  const [keepError, setKeepError] = useState<string | null>(null);
  return (
    <li className="relative flex gap-3 pb-6 last:pb-0" data-testid={`deployment-v${d.version}`} aria-label={`Version ${d.version}${d.isActive ? ", active" : ""}${d.pinned ? ", kept" : ""}, ${d.status}`}>
      {/* The rail and the dot: colour says the status, the badge says it in words. */}
      {!last ? <span aria-hidden="true" className="absolute top-5 bottom-0 left-[9px] w-px bg-zinc-200" /> : null}
      <span
        aria-hidden="true"
        className={clsx(
          "relative mt-1 flex h-[19px] w-[19px] shrink-0 items-center justify-center rounded-full ring-4 ring-white",
          d.isActive ? "bg-emerald-100" : "bg-zinc-100",
        )}
      >
        <span className={clsx("h-2.5 w-2.5 rounded-full", statusDotClass(d.status))} />
      </span>
      <div className={clsx("min-w-0 flex-1 rounded-lg px-3 py-2.5", d.isActive ? "bg-emerald-50/60 ring-1 ring-emerald-200" : "ring-1 ring-zinc-100")}>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <h3 className="font-mono text-sm font-semibold text-zinc-900">v{d.version}</h3>
          <StatusBadge status={d.status} />
          {d.isActive ? (
            <span className="rounded-full bg-emerald-600 px-2 py-0.5 text-[11px] font-semibold text-white" data-testid="active-marker">
              Live
            </span>
          ) : null}
          {d.pinned ? (
            <span
              className="inline-flex items-center gap-1 rounded-full bg-indigo-50 px-2 py-0.5 text-[11px] font-semibold text-indigo-700 ring-1 ring-indigo-600/20 ring-inset"
              title="Kept: retention never prunes this version"
              data-testid="kept-badge"
            >
              <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3 w-3" fill="currentColor">
                <path d="M4.5 2.5h7v11L8 10.75 4.5 13.5z" />
              </svg>
              Kept
            </span>
          ) : null}
          <span className="ml-auto text-xs text-zinc-500">
            <RelativeTime iso={d.deployedAt} />
          </span>
        </div>
        <p className="mt-0.5 truncate text-xs text-zinc-600" title={d.deployedBy ?? undefined}>
          Deployed by <span className="font-medium text-zinc-800">{d.deployedBy ?? "unknown"}</span>
        </p>
        {d.status === "failed" && d.error ? (
          <p className="mt-2 line-clamp-3 rounded-md bg-red-50 px-2.5 py-1.5 text-xs break-words text-red-800">{d.error}</p>
        ) : null}
        {d.status === "pruned" ? (
          <p className="mt-2 text-xs text-zinc-500">
            Pruned <RelativeTime iso={d.prunedAt} />
            {d.pruneReason ? ` — ${d.pruneReason.replace(/\.$/, "")}` : ""}. Its image and archive were removed.
          </p>
        ) : null}
        <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs sm:grid-cols-[auto_minmax(0,1fr)_auto_minmax(0,1fr)]">
          <dt className="text-zinc-500">Build</dt>
          <dd className="text-zinc-700">{d.status === "building" || d.status === "queued" ? "in progress" : formatDuration(d.buildDurationMs)}</dd>
          <dt className="text-zinc-500">Archive</dt>
          <dd className="text-zinc-700">{formatBytes(d.archiveSize)}</dd>
          <dt className="text-zinc-500">Image</dt>
          <dd className="min-w-0">
            <Mono value={d.imageTag} className={clsx(!d.imageExists && "text-zinc-400 line-through")} />
          </dd>
          <dt className="text-zinc-500">SHA-256</dt>
          <dd className="min-w-0">
            <Mono value={d.archiveSha256} display={shortHash(d.archiveSha256, 16)} />
          </dd>
          <dt className="text-zinc-500">S3 key</dt>
          <dd className="min-w-0 sm:col-span-3">
            <Mono value={d.s3Key} className={clsx(!d.archiveExists && "text-zinc-400 line-through")} />
          </dd>
        </dl>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          {canActivate(d) ? (
            <RollbackButton functionId={functionId} functionName={functionName} target={d} activeVersion={activeVersion} onSwitched={onSwitched} />
          ) : null}
          {canKeep(d) ? <KeepToggle functionId={functionId} d={d} onError={setKeepError} /> : null}
          {d.status !== "pruned" ? <BuildLogDialog functionId={functionId} version={d.version} emphasis={d.status === "failed"} /> : null}
        </div>
        {keepError ? (
          <div className="mt-2">
            <Notice tone="error">{keepError}</Notice>
          </div>
        ) : null}
      </div>
    </li>
  );
}
