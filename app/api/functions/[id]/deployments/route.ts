import { requireOwner } from "@/server/auth/owner";
import { listDeployments } from "@/server/deployments/list-deployments";
import { handleDeploy } from "../../../_lib/deploy";
import { handler } from "../../../_lib/respond";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handler(async (request, { params }: Ctx) => {
  const owner = await requireOwner();
  const query = new URL(request.url).searchParams;
  return Response.json(await listDeployments(owner, (await params).id, { limit: query.get("limit"), cursor: query.get("cursor") }));
});

export const POST = handler(async (request, { params }: Ctx) => {
  const { id } = await params;
  return handleDeploy(request, () => ({ functionId: id }));
});
