import { requireOwner } from "@/server/auth/owner";
import { createFunction } from "@/server/functions/create-function";
import { listFunctions } from "@/server/functions/list-functions";
import { handler, readJson } from "../_lib/respond";

export const GET = handler(async () => {
  const owner = await requireOwner();
  return Response.json({ functions: await listFunctions(owner) });
});

export const POST = handler(async (request) => {
  const owner = await requireOwner();
  return Response.json(await createFunction(owner, await readJson(request)), { status: 201 });
});
