"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { FunctionView } from "@/server/deployments/present";
import { NewFunctionDialog } from "./new-function-dialog";
import { RelativeTime } from "./relative-time";
import { StatusBadge } from "./status-badge";
import { Notice } from "./ui/field";
import { errorMessage, getJson, keys } from "./lib/api";
import { runtimeLabel } from "./runtime";

/** The owner's functions, kept fresh (polled faster while something builds). */
export function FunctionsList({ initial, maxBytes }: { initial: FunctionView[]; maxBytes: number }) {
  const { data, error } = useQuery({
    queryKey: keys.functions,
    queryFn: ({ signal }) => getJson<{ functions: FunctionView[] }>("/api/functions", signal).then((r) => r.functions),
    initialData: initial,
    refetchInterval: (q) =>
      q.state.data?.some((f) => f.status === "building" || f.latestDeployment?.status === "building" || f.latestDeployment?.status === "queued")
        ? 2000
        : 15_000,
  });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Functions</h1>
          <p className="mt-1 text-sm text-zinc-600">Each upload is a new version; roll back to any built one in a click.</p>
        </div>
        <NewFunctionDialog maxBytes={maxBytes} />
      </div>
      {error ? <Notice tone="error">Could not refresh the list: {errorMessage(error)}</Notice> : null}
      {data.length === 0 ? (
        <section className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
          <svg aria-hidden="true" viewBox="0 0 48 48" className="mx-auto h-10 w-10 text-indigo-500" fill="none" stroke="currentColor" strokeWidth="1.5">
            <rect x="8" y="12" width="32" height="26" rx="3" />
            <path d="M8 19h32M24 24v9m0-9-4 4m4-4 4 4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <h2 className="mt-3 text-base font-semibold">Nothing deployed yet</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600">
            Pack a Node.js, Dart or Dockerfile project as a <code className="font-mono">.tar.gz</code> (for example{" "}
            <code className="font-mono text-xs">tar -czf hello.tar.gz .</code>), then create a function and drop the archive on it. Every
            upload becomes a new version you can roll back to.
          </p>
          <div className="mt-5 flex justify-center">
            <NewFunctionDialog maxBytes={maxBytes} triggerLabel="Create your first function" />
          </div>
        </section>
      ) : (
        <ul aria-label="Your functions" className="divide-y divide-zinc-100 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs">
          <li aria-hidden="true" className="hidden grid-cols-[minmax(0,2fr)_7rem_6rem_minmax(0,2fr)] gap-4 bg-zinc-50 px-5 py-2 text-xs font-medium text-zinc-500 md:grid">
            <span>Name</span>
            <span>Status</span>
            <span>Active</span>
            <span>Last deploy</span>
          </li>
          {data.map((fn) => (
            <FunctionRow key={fn.id} fn={fn} />
          ))}
        </ul>
      )}
    </div>
  );
}

function FunctionRow({ fn }: { fn: FunctionView }) {
  const last = fn.latestDeployment;
  return (
    <li className="relative grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1.5 px-4 py-3 hover:bg-zinc-50 sm:px-5 md:grid-cols-[minmax(0,2fr)_7rem_6rem_minmax(0,2fr)] md:items-center">
      <div className="min-w-0">
        <Link
          href={`/functions/${fn.id}`}
          className="block truncate font-mono text-sm font-semibold text-zinc-900 after:absolute after:inset-0 hover:text-indigo-700 focus-visible:outline-none focus-visible:after:outline-2 focus-visible:after:outline-indigo-600"
        >
          {fn.name}
        </Link>
        <span className="text-xs text-zinc-500">{runtimeLabel(fn.runtime)}</span>
      </div>
      <div className="justify-self-end md:justify-self-start">
        <StatusBadge status={fn.status} />
      </div>
      {/* Narrow: active version and last deploy share one line under the name; wide: own columns. */}
      <div className="col-span-2 flex items-start justify-between gap-4 md:contents">
        <div className="shrink-0 text-sm text-zinc-700">
          <span className="text-xs text-zinc-500 md:hidden">Active </span>
          {fn.activeVersion !== null ? <span className="font-mono font-medium">v{fn.activeVersion}</span> : <span className="text-zinc-400">—</span>}
        </div>
        <div className="min-w-0 text-right text-xs text-zinc-600 md:text-left">
          {last ? (
            <>
              <span className="font-mono">v{last.version}</span> <RelativeTime iso={last.deployedAt} />
              <span className="block truncate text-zinc-500" title={last.deployedBy ?? undefined}>
                by {last.deployedBy ?? "unknown"}
              </span>
            </>
          ) : (
            <span className="text-zinc-400">Never deployed</span>
          )}
        </div>
      </div>
    </li>
  );
}
