import { requireOwner } from "@/server/auth/owner";
import { setPinned } from "@/server/lifecycle/pin";
import { handler } from "../../../../../_lib/respond";

type Ctx = { params: Promise<{ id: string; version: string }> };

/** Pins a version: retention never prunes it. 200 `{deploymentId, version, pinned, changed, message}`. */
export const POST = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  const { id, version } = await params;
  return Response.json(await setPinned(owner, id, version, true));
});

/** Unpins it: retention treats it like any other version again. */
export const DELETE = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  const { id, version } = await params;
  return Response.json(await setPinned(owner, id, version, false));
});
