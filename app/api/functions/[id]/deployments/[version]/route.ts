import { requireOwner } from "@/server/auth/owner";
import { getDeployment } from "@/server/deployments/get-deployment";
import { handler } from "../../../../_lib/respond";

type Ctx = { params: Promise<{ id: string; version: string }> };

export const GET = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  const { id, version } = await params;
  return Response.json(await getDeployment(owner, id, version), { headers: { "Cache-Control": "no-store" } });
});
