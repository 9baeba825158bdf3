import { createApiToken, revokeApiToken } from "@/server/auth/api-tokens";
import { requireOwner } from "@/server/auth/owner";
import { InvalidInputError } from "@/server/errors";
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

// Revokes the token that authenticates this call (the CLI's `logout`).
export const DELETE = handler(async () => {
  const owner = await requireOwner();
  if (!owner.tokenId) throw new InvalidInputError("Send the token to revoke as Authorization: Bearer <token>.");
  await revokeApiToken(owner.userId, owner.tokenId);
  return new Response(null, { status: 204 });
});
