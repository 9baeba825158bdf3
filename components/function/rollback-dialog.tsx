"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { DeploymentView } from "@/server/deployments/present";
import { rollbackAction } from "@/app/(dashboard)/functions/actions";
import { buttonClass } from "../ui/button";
import { Notice } from "../ui/field";
import { keys } from "../lib/api";
import { markActiveInTimeline, useRefreshFunction, type DeploymentPage } from "./queries";
import type { InfiniteData } from "@tanstack/react-query";

type Props = {
  functionId: string;
  functionName: string;
  target: DeploymentView;
  activeVersion: number | null;
  onSwitched: (message: string) => void;
};

/** "Roll back to vN" (or "Activate vN" for a newer one), confirmed in a dialog first. */
export function RollbackButton({ functionId, functionName, target, activeVersion, onSwitched }: Props) {
  const client = useQueryClient();
  const refresh = useRefreshFunction(functionId);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const forward = activeVersion !== null && target.version > activeVersion;
  const label = forward || activeVersion === null ? `Activate v${target.version}` : `Roll back to v${target.version}`;
  const needsRebuild = !target.imageExists;

  async function confirm(event: React.MouseEvent) {
    event.preventDefault(); // keep the dialog open until the switch is done
    setPending(true);
    setError(null);
    const result = await rollbackAction(functionId, target.version).catch((e: unknown) => ({
      ok: false as const,
      error: e instanceof Error ? e.message : "The request failed.",
    }));
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    client.setQueryData<InfiniteData<DeploymentPage>>(keys.deployments(functionId), (data) => markActiveInTimeline(data, target.version));
    setOpen(false);
    onSwitched(result.data.message);
    void refresh();
  }

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (next) setError(null);
      }}
    >
      <AlertDialog.Trigger className={buttonClass(forward ? "secondary" : "secondary", "sm")}>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
          {forward ? <path d="M3 8h10m0 0-4-4m4 4-4 4" /> : <path d="M6 4 2.5 7.5 6 11M3 7.5h6.5a4 4 0 0 1 0 8H8" />}
        </svg>
        {label}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-200">
          <AlertDialog.Title className="text-base font-semibold text-zinc-900">{label}?</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-zinc-600">
              <p>
                {functionName} will serve <strong className="text-zinc-900">v{target.version}</strong>
                {activeVersion !== null ? <> instead of v{activeVersion}</> : null}. The switch happens without downtime: v{target.version} is
                started and checked before traffic moves to it.
              </p>
              {needsRebuild ? (
                <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
                  Its image was removed, so it will be rebuilt from the archive in storage first. That can take a minute.
                </p>
              ) : null}
            </div>
          </AlertDialog.Description>
          {error ? (
            <div className="mt-3">
              <Notice tone="error">{error}</Notice>
            </div>
          ) : null}
          <div className="mt-5 flex flex-wrap justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass("secondary")} disabled={pending}>
              Cancel
            </AlertDialog.Cancel>
            <AlertDialog.Action className={buttonClass("primary")} onClick={confirm} disabled={pending} aria-busy={pending}>
              {pending ? (needsRebuild ? "Rebuilding and switching…" : "Switching…") : label}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
