import { requireOwner } from "@/server/auth/owner";
import { getInvocationStats } from "@/server/deployments/invocation-stats";
import { handler } from "../../../_lib/respond";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  return Response.json(await getInvocationStats(owner, (await params).id));
});
