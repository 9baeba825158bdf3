"use server";

// Server actions for the dashboard. Each calls the same server/ function as the REST API, so the
// two can never disagree, and returns an ActionResult (errors mapped once, in ownerAction).
import { ownerAction } from "@/app/_lib/action";
import { receiveArchiveFile } from "@/server/archive";
import { deployVersion } from "@/server/deployments/deploy-version";
import { rollbackFunction } from "@/server/deployments/rollback";
import { InvalidInputError } from "@/server/errors";
import { createFunction } from "@/server/functions/create-function";
import { deleteFunction } from "@/server/functions/delete-function";
import { updateFunctionSettings } from "@/server/functions/update-settings";
import { setPinned } from "@/server/lifecycle/pin";

/** Makes a built version active again (or a newer built one): instant when its image exists. */
export const rollbackAction = ownerAction((owner, functionId: string, version: number) =>
  rollbackFunction(owner, functionId, { version }),
);

/** Keeps a version ("pinned": retention never prunes it), or stops keeping it. Idempotent. */
export const setPinnedAction = ownerAction(async (owner, functionId: string, version: number, pinned: boolean) => {
  // Actions take whatever the client sends: only a real boolean may reach the column.
  if (typeof pinned !== "boolean") throw new InvalidInputError("pinned must be true or false.");
  return setPinned(owner, functionId, version, pinned);
});

/** Creates an empty function; its first version comes with the first upload. */
export const createFunctionAction = ownerAction((owner, input: { name: string; runtime: string }) =>
  createFunction(owner, input),
);

export const updateSettingsAction = ownerAction((owner, functionId: string, changes: Record<string, unknown>) =>
  updateFunctionSettings(owner, functionId, changes),
);

export const deleteFunctionAction = ownerAction(async (owner, functionId: string) => {
  await deleteFunction(owner, functionId);
  return { deleted: functionId };
});

/**
 * Deploys an archive sent as FormData (`archive`, plus `functionId`, or `name` and optional
 * `runtime` for a new function). The dashboard uses the REST endpoints for its progress bar;
 * this is the same deploy for forms without one.
 */
export const deployAction = ownerAction(async (owner, formData: FormData) => {
  const file = formData.get("archive");
  if (!(file instanceof File) || file.size === 0) {
    throw new InvalidInputError("Choose a .tar.gz archive to deploy.");
  }
  const archive = await receiveArchiveFile(file.stream(), { filename: file.name, declaredSize: file.size });
  const functionId = formData.get("functionId");
  const target =
    typeof functionId === "string" && functionId
      ? { functionId }
      : { name: formData.get("name"), runtime: formData.get("runtime") || undefined };
  return deployVersion(owner, target, archive);
});
