import { requireOwner } from "@/server/auth/owner";
import { deleteFunction } from "@/server/functions/delete-function";
import { getFunction } from "@/server/functions/get-function";
import { updateFunctionSettings } from "@/server/functions/update-settings";
import { handler, readJson } from "../../_lib/respond";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  return Response.json(await getFunction(owner, (await params).id));
});

export const PATCH = handler(async (request, { params }: Ctx) => {
  const owner = await requireOwner();
  const body = (await readJson(request)) as { settings?: unknown };
  return Response.json(await updateFunctionSettings(owner, (await params).id, body?.settings ?? body));
});

export const DELETE = handler(async (_request, { params }: Ctx) => {
  const owner = await requireOwner();
  await deleteFunction(owner, (await params).id);
  return new Response(null, { status: 204 });
});
