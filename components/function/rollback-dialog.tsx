"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { DeploymentView } from "@/server/deployments/present";
import { rollbackAction } from "@/app/(dashboard)/functions/actions";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
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
  const forward = activeVersion !== null && target.version > activeVersion;
  const label = forward || activeVersion === null ? `Activate v${target.version}` : `Roll back to v${target.version}`;
  const needsRebuild = !target.imageExists;

  async function rollBack(): Promise<string | null> {
    const result = await rollbackAction(functionId, target.version);
    if (!result.ok) return result.error;
    client.setQueryData<InfiniteData<DeploymentPage>>(keys.deployments(functionId), (data) => markActiveInTimeline(data, target.version));
    onSwitched(result.data.message);
    void refresh();
    return null;
  }

  return (
    <ConfirmDialog
      trigger={
        <Button size="sm">
          <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
            {forward ? <path d="M3 8h10m0 0-4-4m4 4-4 4" /> : <path d="M6 4 2.5 7.5 6 11M3 7.5h6.5a4 4 0 0 1 0 8H8" />}
          </svg>
          {label}
        </Button>
      }
      title={`${label}?`}
      description={
        <>
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
        </>
      }
      confirmLabel={label}
      pendingLabel={needsRebuild ? "Rebuilding and switching…" : "Switching…"}
      tone="primary"
      onConfirm={rollBack}
    />
  );
}
