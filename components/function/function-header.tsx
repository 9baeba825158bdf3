"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import type { FunctionView } from "@/server/deployments/present";
import { CopyButton } from "../copy-button";
import { RelativeTime } from "../relative-time";
import { StatusBadge } from "../status-badge";
import { runtimeLabel } from "../runtime";

/** Name, runtime, status, active version and the invoke URL of one function. */
const noSubscription = () => () => {};

export function FunctionHeader({ fn, origin }: { fn: FunctionView; origin: string }) {
  // The server's guess at the origin renders first; the browser knows the real one.
  const base = useSyncExternalStore(noSubscription, () => window.location.origin, () => origin);
  const invokeUrl = `${base}${fn.invokePath}`;
  const active = fn.activeDeployment;
  return (
    <header className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/functions" className="hover:text-zinc-800 hover:underline">
          Functions
        </Link>
        <span aria-hidden="true" className="px-1.5">
          /
        </span>
        <span className="text-zinc-800" aria-current="page">
          {fn.name}
        </span>
      </nav>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="min-w-0 truncate text-2xl font-semibold tracking-tight">{fn.name}</h1>
        <span className="rounded-md bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-inset ring-zinc-200">
          {runtimeLabel(fn.runtime)}
        </span>
        <StatusBadge status={fn.status} />
        {fn.settings.publicInvoke ? (
          <span className="rounded-md bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-inset ring-sky-600/20">Public</span>
        ) : null}
      </div>
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
        <div className="flex flex-wrap items-baseline gap-x-2 sm:block">
          <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Active version</dt>
          <dd className="font-medium text-zinc-900 sm:mt-1" data-testid="active-version">
            {active ? (
              <>
                v{active.version}
                <span className="font-normal text-zinc-500">
                  {" "}
                  · since <RelativeTime iso={active.activatedAt ?? active.deployedAt} />
                </span>
              </>
            ) : (
              <span className="font-normal text-zinc-500">None yet</span>
            )}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Invoke URL</dt>
          <dd className="mt-1 flex min-w-0 items-center gap-2">
            <code
              title={invokeUrl}
              data-testid="invoke-url"
              className="block min-w-0 flex-1 truncate rounded-md bg-white px-2.5 py-1.5 font-mono text-xs text-zinc-800 ring-1 ring-zinc-200"
            >
              {invokeUrl}
            </code>
            <CopyButton value={invokeUrl} label="Copy invoke URL" />
          </dd>
        </div>
      </dl>
    </header>
  );
}
