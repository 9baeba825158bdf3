import { createApiToken } from "@/server/auth/api-tokens";
import { verifyCredentials } from "@/server/auth/verify-credentials";
import { handler, readJson } from "../../_lib/respond";

// Exchanges email and password for a Bearer token (for the CLI and scripts). The token is
// shown once in this answer; only its hash is stored.
export const POST = handler(async (request) => {
  const body = (await readJson(request)) as { email?: unknown; password?: unknown; name?: unknown };
  const user = await verifyCredentials({ email: body?.email, password: body?.password });
  const token = await createApiToken(user.id, { name: typeof body?.name === "string" ? body.name : "api" });
  return Response.json(
    { token: token.token, id: token.id, name: token.name, prefix: token.prefix, expiresAt: token.expiresAt },
    { status: 201 },
  );
});
