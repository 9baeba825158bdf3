"use client";

import type { FunctionView } from "@/server/deployments/present";
import { ActivityCard, InvocationsCard } from "./activity";
import { DeployPanel } from "./deploy-panel";
import { FunctionHeader } from "./function-header";
import { FunctionSettingsForm } from "./settings-form";
import { StorageCard } from "./storage-card";
import { TestInvoke } from "./test-invoke";
import { DeploymentTimeline } from "./timeline";
import { useDeployments, useFunction, type DeploymentPage } from "./queries";

/** One function: header, deploy, timeline and activity, all live through react-query. */
export function FunctionPage({
  initial,
  firstPage,
  origin,
  maxBytes,
  watchVersion,
}: {
  initial: FunctionView;
  firstPage: DeploymentPage;
  origin: string;
  maxBytes: number;
  watchVersion: number | null;
}) {
  const { data: fn } = useFunction(initial.id, initial);
  // The same query the timeline polls (shared cache): the storage card follows its changes.
  const history = useDeployments(initial.id, firstPage)
    .data.pages[0].deployments.map((d) => `${d.version}:${d.status}:${d.pinned}`)
    .join(",");
  return (
    <div className="space-y-6">
      <FunctionHeader fn={fn} origin={origin} />
      <div className="grid min-w-0 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
        <div className="min-w-0 space-y-6">
          <DeployPanel fn={fn} maxBytes={maxBytes} watchVersion={watchVersion} />
          <DeploymentTimeline functionId={fn.id} functionName={fn.name} activeVersion={fn.activeVersion} firstPage={firstPage} />
        </div>
        <div className="min-w-0 space-y-6">
          <TestInvoke functionId={fn.id} invokePath={fn.invokePath} hasActive={fn.activeVersion !== null} />
          <InvocationsCard functionId={fn.id} activeVersion={fn.activeVersion} />
          <StorageCard functionId={fn.id} history={history} />
          <ActivityCard functionId={fn.id} />
        </div>
      </div>
      <FunctionSettingsForm fn={fn} />
    </div>
  );
}
