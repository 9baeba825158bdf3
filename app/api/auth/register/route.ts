import { registerUser } from "@/server/auth/register-user";
import { handler, readJson } from "../../_lib/respond";

export const POST = handler(async (request) => {
  const user = await registerUser(await readJson(request));
  return Response.json({ id: user.id, email: user.email }, { status: 201 });
});
