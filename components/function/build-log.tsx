"use client";

import { useEffect, useRef } from "react";
import { StatusBadge } from "../status-badge";
import { formatDuration } from "../lib/format";
import { errorMessage } from "../lib/api";
import { Notice } from "../ui/field";
import { isInProgress, useDeployment, useRefreshFunction } from "./queries";

/** A build log that keeps its end in view as lines arrive, unless the reader scrolled up. */
export function LogView({ text, label, className }: { text: string; label: string; className?: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre
      ref={ref}
      role="log"
      aria-label={label}
      aria-live="off"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      className={
        className ??
        "h-64 overflow-auto rounded-lg bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed whitespace-pre-wrap break-all text-zinc-200"
      }
    >
      {text || "Waiting for build output…"}
    </pre>
  );
}

/**
 * The live build of one version: its status in words (announced), the log streaming in, and
 * the outcome. When the build settles, everything else on the page is refreshed.
 */
export function BuildProgress({ functionId, version }: { functionId: string; version: number }) {
  const { data, error } = useDeployment(functionId, version);
  const refresh = useRefreshFunction(functionId);
  const status = data?.status;
  const settled = status !== undefined && !isInProgress(status);

  useEffect(() => {
    // Each step (queued → building → settled) changes what the timeline and header show.
    if (status) void refresh();
  }, [status, refresh]);

  let headline: string;
  if (!data) headline = `Starting the build of v${version}…`;
  else if (status === "queued") headline = `v${version} is queued; it builds as soon as the previous build finishes.`;
  else if (status === "building") headline = `Building v${version}…`;
  else if (data.isActive) headline = `v${version} is active and serving${data.buildDurationMs ? ` (built in ${formatDuration(data.buildDurationMs)})` : ""}.`;
  else if (status === "failed") headline = `The build of v${version} failed. The previous version keeps serving.`;
  else headline = `v${version} was built but is not active${status ? ` (${status})` : ""}.`;

  return (
    <div className="space-y-2" data-testid="build-progress">
      <div className="flex flex-wrap items-center gap-2">
        {status ? <StatusBadge status={status} /> : <StatusBadge status="queued" />}
        <p aria-live="polite" className="min-w-0 text-sm font-medium text-zinc-800">
          {headline}
        </p>
      </div>
      {settled && status === "failed" && data?.error ? <Notice tone="error">{data.error}</Notice> : null}
      {error ? <Notice tone="error">Could not load the build log: {errorMessage(error)}</Notice> : null}
      <LogView text={data?.buildLog ?? ""} label={`Build log of v${version}`} />
    </div>
  );
}
