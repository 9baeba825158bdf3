import { requireOwner } from "@/server/auth/owner";
import { getStorageUsage } from "@/server/lifecycle/storage-usage";
import { handler } from "../../../_lib/respond";

type Ctx = { params: Promise<{ id: string }> };

/** Archive and image bytes of the function, per version, and what retention would free. */
export const GET = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  return Response.json(await getStorageUsage(owner, (await params).id), { headers: { "Cache-Control": "no-store" } });
});
