import { requireOwner } from "@/server/auth/owner";
import { rollbackFunction } from "@/server/deployments/rollback";
import { handler, readJson } from "../../../_lib/respond";

type Ctx = { params: Promise<{ id: string }> };

export const POST = handler(async (request, { params }: Ctx) => {
  const owner = await requireOwner();
  const { id } = await params;
  return Response.json(await rollbackFunction(owner, id, await readJson(request)));
});
