import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getOwner, type Owner } from "@/server/auth/owner";

/**
 * For pages and layouts: the signed-in owner, or a redirect to sign-in that comes back to
 * `returnTo` (by default the page asked for, as proxy.ts recorded it).
 */
export async function ownerOrRedirect(returnTo?: string): Promise<Owner> {
  const owner = await getOwner();
  returnTo ??= (await headers()).get("x-dartcloud-path") ?? undefined;
  if (!owner) redirect(returnTo ? `/sign-in?callbackUrl=${encodeURIComponent(returnTo)}` : "/sign-in");
  return owner;
}
