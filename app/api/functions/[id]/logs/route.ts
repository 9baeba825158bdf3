import { requireOwner } from "@/server/auth/owner";
import { listAuditLog } from "@/server/deployments/list-audit-log";
import { handler } from "../../../_lib/respond";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handler(async (request, { params }: Ctx) => {
  const owner = await requireOwner();
  const query = new URL(request.url).searchParams;
  return Response.json(await listAuditLog(owner, (await params).id, { limit: query.get("limit"), cursor: query.get("cursor") }));
});
