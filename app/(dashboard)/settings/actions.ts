"use server";

import { ownerAction } from "@/app/_lib/action";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/auth/api-tokens";

export type ApiTokenView = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
};

type TokenRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt?: Date | null; expiresAt: Date | null };

function present(row: TokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

export const listTokensAction = ownerAction(async (owner) => (await listApiTokens(owner.userId)).map(present));

/** Creates a token; the plain token is in the answer this once and never again. */
export const createTokenAction = ownerAction(async (owner, input: { name: string; expiresInDays?: number }) => {
  const created = await createApiToken(owner.userId, input);
  return { ...present(created), token: created.token };
});

export const revokeTokenAction = ownerAction(async (owner, tokenId: string) => {
  await revokeApiToken(owner.userId, tokenId);
  return { revoked: tokenId };
});
