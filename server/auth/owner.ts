import "server-only";
import { headers } from "next/headers";
import { UnauthorizedError } from "../errors";
import { resolveApiToken } from "./api-tokens";
import { auth } from "./nextauth";

/** The signed-in owner on whose behalf a request runs. Every query is scoped by `userId`. */
export type Owner = {
  userId: string;
  email: string;
  /** How the owner is named in the audit trail and history. */
  actor: string;
  via: "session" | "token";
  tokenId?: string;
};

/**
 * The one place that answers "who is the owner" for pages, server actions and route
 * handlers alike: a Bearer API token when the request carries one (and then only that), else
 * the next-auth session cookie.
 */
export async function getOwner(): Promise<Owner | null> {
  const authorization = (await headers()).get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const owner = match ? await resolveApiToken(match[1]) : null;
    if (!owner) return null;
    return {
      userId: owner.userId,
      email: owner.email,
      actor: `${owner.email} (token ${owner.tokenName})`,
      via: "token",
      tokenId: owner.tokenId,
    };
  }
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { userId: user.id, email: user.email, actor: user.email, via: "session" };
}

export async function requireOwner(): Promise<Owner> {
  const owner = await getOwner();
  if (!owner) throw new UnauthorizedError();
  return owner;
}
