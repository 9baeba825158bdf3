"use client";

import clsx from "clsx";
import { RelativeTime } from "../relative-time";
import { Card } from "../ui/card";
import { Button } from "../ui/button";
import { Notice } from "../ui/field";
import { errorMessage } from "../lib/api";
import { formatDuration } from "../lib/format";
import { InvocationChart } from "./invocation-chart";
import { useAuditLog, useInvocations, type AuditEntry } from "./queries";

/** Per-version calls, errors and latency over the last day, and the latest calls. */
export function InvocationsCard({ functionId, activeVersion }: { functionId: string; activeVersion: number | null }) {
  const { data, error, isPending } = useInvocations(functionId);
  return (
    <Card title="Invocations" description="Last 24 hours, per version.">
      {isPending ? (
        <div className="h-36 animate-pulse rounded-md bg-zinc-100" aria-label="Loading invocations" />
      ) : error ? (
        <Notice tone="error">{errorMessage(error)}</Notice>
      ) : !data || data.byVersion.length === 0 ? (
        <p className="py-4 text-center text-sm text-zinc-500">No calls yet. Use Test invoke or call the invoke URL.</p>
      ) : (
        <div className="space-y-4">
          <InvocationChart byVersion={data.byVersion} activeVersion={activeVersion} />
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Invocations per version</caption>
            <thead className="text-zinc-500">
              <tr>
                <th scope="col" className="py-1 font-medium">Version</th>
                <th scope="col" className="py-1 text-right font-medium">Calls</th>
                <th scope="col" className="py-1 text-right font-medium">Errors</th>
                <th scope="col" className="py-1 text-right font-medium">p95</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 tabular-nums">
              {data.byVersion.map((v) => (
                <tr key={v.version}>
                  <th scope="row" className="py-1 font-mono font-medium text-zinc-800">v{v.version}</th>
                  <td className="py-1 text-right">{v.count}</td>
                  <td className={clsx("py-1 text-right", v.errors > 0 && "font-medium text-red-700")}>
                    {v.errors}
                    {v.count ? <span className="text-zinc-400"> ({Math.round((v.errors / v.count) * 100)}%)</span> : null}
                  </td>
                  <td className="py-1 text-right">{formatDuration(v.p95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div>
            <h3 className="mb-1.5 text-xs font-semibold text-zinc-700">Recent calls</h3>
            <ul className="divide-y divide-zinc-100 text-xs" aria-label="Recent calls">
              {data.recent.slice(0, 8).map((r) => (
                <li key={r.id} className="flex items-center gap-3 py-1 tabular-nums">
                  <span className="w-8 font-mono text-zinc-700">v{r.version}</span>
                  <span className={clsx("w-9 font-mono font-semibold", r.statusCode >= 500 ? "text-red-700" : r.statusCode >= 400 ? "text-amber-700" : "text-emerald-700")}>
                    {r.statusCode}
                  </span>
                  <span className="w-16 text-zinc-600">{formatDuration(r.durationMs)}</span>
                  <RelativeTime iso={r.createdAt} className="ml-auto text-zinc-500" />
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </Card>
  );
}

function actionTone(entry: AuditEntry): string {
  if (entry.level === "error" || entry.action.endsWith(".failed")) return "bg-red-500";
  if (entry.action.startsWith("rollback") || entry.action.startsWith("activat")) return "bg-indigo-500";
  if (entry.action.endsWith(".succeeded")) return "bg-emerald-500";
  if (entry.action.startsWith("prune") || entry.action.includes("delete")) return "bg-zinc-400";
  if (entry.level === "warn" || entry.level === "warning") return "bg-amber-500";
  return "bg-sky-500";
}

function actionLabel(action: string): string {
  return action.replace(/[._]/g, " ");
}

/** The audit trail: who did what, when. */
export function ActivityCard({ functionId }: { functionId: string }) {
  const query = useAuditLog(functionId);
  const entries = query.data?.pages.flatMap((p) => p.logs) ?? [];
  return (
    <Card title="Activity" description="Deploys, switches, rollbacks, rebuilds and prunes.">
      {query.isPending ? (
        <div className="space-y-2" aria-label="Loading activity">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="h-9 animate-pulse rounded-md bg-zinc-100" />
          ))}
        </div>
      ) : query.error ? (
        <Notice tone="error">{errorMessage(query.error)}</Notice>
      ) : entries.length === 0 ? (
        <p className="py-4 text-center text-sm text-zinc-500">Nothing has happened yet.</p>
      ) : (
        <ul className="space-y-3" aria-label="Activity">
          {entries.map((e) => (
            <li key={e.id} className="flex gap-2.5 text-xs">
              <span aria-hidden="true" className={clsx("mt-1 h-2 w-2 shrink-0 rounded-full", actionTone(e))} />
              <div className="min-w-0 flex-1">
                <p className="break-words text-zinc-800">{e.message}</p>
                <p className="mt-0.5 flex flex-wrap gap-x-1.5 text-zinc-500">
                  <span className="font-medium text-zinc-600">{actionLabel(e.action)}</span>
                  <span aria-hidden="true">·</span>
                  <span className="max-w-full truncate" title={e.actor}>
                    {e.actor}
                  </span>
                  <span aria-hidden="true">·</span>
                  <RelativeTime iso={e.createdAt} />
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage ? (
        <div className="mt-3 flex justify-center">
          <Button size="sm" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
