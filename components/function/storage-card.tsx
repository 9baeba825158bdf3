"use client";

import { useQueryClient } from "@tanstack/react-query";
import clsx from "clsx";
import { useEffect, useRef } from "react";
import { Card } from "../ui/card";
import { Notice } from "../ui/field";
import { errorMessage, keys } from "../lib/api";
import { formatBytes } from "../lib/format";
import { useStorage, type StorageUsage } from "./queries";

type VersionUsage = StorageUsage["byVersion"][number];

const MAX_ROWS = 8;
const dependencyName = { storage: "S3", docker: "Docker" } as const;

function retentionSentence(retention: number): string {
  if (retention <= 0) return "Retention keeps all versions (Versions kept is 0).";
  return `Retention keeps the last ${retention} built version${retention === 1 ? "" : "s"}, plus the live one and any you keep.`;
}

/**
 * Archive and image bytes of the function, what retention would free, and a per-version breakdown.
 * `history` sums up the timeline (versions, statuses, pins): when it changes, say because a prune
 * finished after the deploy that caused it, the figures are fetched again.
 */
export function StorageCard({ functionId, history }: { functionId: string; history: string }) {
  const { data, error, isPending } = useStorage(functionId);
  const client = useQueryClient();
  const seen = useRef(history);
  useEffect(() => {
    if (seen.current === history) return;
    seen.current = history;
    void client.invalidateQueries({ queryKey: keys.storage(functionId) });
  }, [client, functionId, history]);
  return (
    <Card id="storage" title="Storage" description="Archives in S3 and images in Docker.">
      {isPending ? (
        <div className="h-32 animate-pulse rounded-md bg-zinc-100" aria-label="Loading storage" />
      ) : data ? (
        <div className="space-y-3">
          {/* A failed refresh keeps the last figures on screen and says they may be old. */}
          {error ? <Notice tone="error">Could not refresh: {errorMessage(error)}</Notice> : null}
          <StorageSummary usage={data} />
        </div>
      ) : (
        <Notice tone="error">{errorMessage(error)}</Notice>
      )}
    </Card>
  );
}

function StorageSummary({ usage }: { usage: StorageUsage }) {
  const total = usage.archiveBytes === null && usage.imageBytes === null ? null : (usage.archiveBytes ?? 0) + (usage.imageBytes ?? 0);
  const pruneNext = usage.byVersion.filter((v) => v.wouldPrune).map((v) => `v${v.version}`);
  const rows = usage.byVersion.filter((v) => v.status !== "pruned" || v.archiveBytes + v.imageBytes > 0);

  return (
    <div className="space-y-4">
      {usage.unavailable.length > 0 ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">
          {usage.unavailable.map((d) => dependencyName[d]).join(" and ")} did not answer, so{" "}
          {usage.unavailable.length === 2 ? "these figures are" : `its ${usage.unavailable[0] === "storage" ? "archive" : "image"} figures are`} missing. Try
          again in a moment.
        </p>
      ) : null}

      <dl className="grid grid-cols-3 gap-2">
        <Stat label="Archives" value={usage.archiveBytes} testId="storage-archive-bytes" swatch="bg-indigo-500" />
        <Stat label="Images" value={usage.imageBytes} testId="storage-image-bytes" swatch="bg-sky-400" />
        <Stat label="Total" value={total} testId="storage-total-bytes" />
      </dl>
      <p className="text-xs text-zinc-500">
        Images count only the layers this function&apos;s images hold alone: what removing them would free. Base layers shared with other
        images are not counted.
      </p>

      <div className="space-y-1 rounded-lg bg-zinc-50 px-3 py-2.5 text-xs ring-1 ring-zinc-100">
        <p className="text-zinc-700">{retentionSentence(usage.retention)}</p>
        <p className="text-zinc-700" data-testid="storage-reclaimable">
          {usage.reclaimableBytes > 0 ? (
            <>
              Retention would free <span className="font-mono font-semibold text-zinc-900">{formatBytes(usage.reclaimableBytes)}</span> now
              {pruneNext.length > 0 ? <> by pruning {pruneNext.join(", ")}</> : <>, left over from pruned versions</>}.
            </>
          ) : (
            <>Retention would free nothing now: every version is within it, live or kept.</>
          )}
        </p>
      </div>

      {rows.length > 0 ? <VersionBars rows={rows} /> : null}
    </div>
  );
}

function Stat({ label, value, testId, swatch }: { label: string; value: number | null; testId: string; swatch?: string }) {
  return (
    <div className="min-w-0 rounded-lg px-2.5 py-2 ring-1 ring-zinc-200">
      <dt className="flex items-center gap-1.5 text-[11px] font-medium text-zinc-500">
        {swatch ? <span aria-hidden="true" className={clsx("h-2 w-2 shrink-0 rounded-sm", swatch)} /> : null}
        {label}
      </dt>
      <dd className="mt-0.5 truncate font-mono text-sm font-semibold text-zinc-900 tabular-nums" data-testid={testId} title={value === null ? "Not available" : `${value} bytes`}>
        {value === null ? "—" : formatBytes(value)}
      </dd>
    </div>
  );
}

/** Newest versions as stacked bars (archive, then image), with the bytes written out beside them. */
function VersionBars({ rows }: { rows: VersionUsage[] }) {
  const shown = rows.slice(0, MAX_ROWS);
  const max = Math.max(1, ...shown.map((v) => v.archiveBytes + v.imageBytes));
  return (
    <div>
      <h3 className="mb-1.5 text-xs font-semibold text-zinc-700">Per version</h3>
      <ul className="space-y-1.5" aria-label="Storage per version">
        {shown.map((v) => {
          const bytes = v.archiveBytes + v.imageBytes;
          return (
            <li
              key={v.deploymentId}
              className="grid grid-cols-[2.25rem_minmax(0,1fr)_4.5rem] items-center gap-2 text-xs"
              aria-label={`v${v.version}: archive ${formatBytes(v.archiveBytes)}, image ${formatBytes(v.imageBytes)}${note(v) ? `, ${note(v)}` : ""}`}
            >
              <span className={clsx("font-mono", v.isActive ? "font-semibold text-emerald-700" : "text-zinc-600")}>v{v.version}</span>
              <span className="min-w-0">
                <span aria-hidden="true" className="flex h-2.5 overflow-hidden rounded-sm bg-zinc-100">
                  <span className="bg-indigo-500" style={{ width: `${(v.archiveBytes / max) * 100}%` }} />
                  <span className="bg-sky-400" style={{ width: `${(v.imageBytes / max) * 100}%` }} />
                </span>
                {note(v) ? (
                  <span className={clsx("mt-0.5 block truncate text-[11px]", v.wouldPrune ? "text-amber-700" : "text-zinc-500")}>{note(v)}</span>
                ) : null}
              </span>
              <span className="text-right font-mono text-zinc-700 tabular-nums">{formatBytes(bytes)}</span>
            </li>
          );
        })}
      </ul>
      {rows.length > shown.length ? (
        <p className="mt-1.5 text-[11px] text-zinc-500">
          and {rows.length - shown.length} older version{rows.length - shown.length === 1 ? "" : "s"}
        </p>
      ) : null}
    </div>
  );
}

function note(v: VersionUsage): string | null {
  if (v.wouldPrune) return "pruned on the next retention run";
  if (v.status === "pruned") return "pruned; leftovers to remove";
  if (v.isActive) return v.pinned ? "live, kept" : "live";
  if (v.pinned) return "kept";
  return null;
}
