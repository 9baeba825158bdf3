"use client";

import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useState } from "react";
import type { DeploymentView } from "@/server/deployments/present";
import { setPinnedAction } from "@/app/(dashboard)/functions/actions";
import { Button } from "../ui/button";
import { keys } from "../lib/api";
import { markPinnedInTimeline, useRefreshFunction, type DeploymentPage } from "./queries";

/** "Keep vN" / "Stop keeping vN": a kept (pinned) version is never pruned by retention. */
export function KeepToggle({ functionId, d, onError }: { functionId: string; d: DeploymentView; onError: (message: string | null) => void }) {
  const client = useQueryClient();
  const refresh = useRefreshFunction(functionId);
  const [pending, setPending] = useState(false);
  const next = !d.pinned;

  async function toggle() {
    if (pending) return;
    setPending(true);
    onError(null);
    const result = await setPinnedAction(functionId, d.version, next);
    setPending(false);
    if (!result.ok) return onError(result.error);
    client.setQueryData<InfiniteData<DeploymentPage>>(keys.deployments(functionId), (data) => markPinnedInTimeline(data, d.version, next));
    // Storage (what retention would free) and the audit trail change with it.
    void refresh();
  }

  return (
    <Button
      size="sm"
      variant={d.pinned ? "ghost" : "secondary"}
      onClick={toggle}
      // aria-disabled rather than disabled: the button keeps keyboard focus while it saves.
      aria-disabled={pending}
      title={d.pinned ? "Let retention prune it again once it is older than the versions kept" : "Retention never prunes a kept version"}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill={d.pinned ? "none" : "currentColor"} stroke="currentColor" strokeWidth="1.5">
        <path d="M4.5 2.5h7v11L8 10.75 4.5 13.5z" strokeLinejoin="round" fillOpacity={0.15} />
      </svg>
      {pending ? (next ? "Keeping…" : "Releasing…") : next ? `Keep v${d.version}` : `Stop keeping v${d.version}`}
    </Button>
  );
}
