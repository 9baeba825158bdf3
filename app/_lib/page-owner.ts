import "server-only";
import { redirect } from "next/navigation";
import { getOwner, type Owner } from "@/server/auth/owner";

/** For pages: the signed-in owner, or a redirect to sign-in that comes back to `returnTo`. */
export async function ownerOrRedirect(returnTo?: string): Promise<Owner> {
  const owner = await getOwner();
  if (!owner) redirect(returnTo ? `/sign-in?callbackUrl=${encodeURIComponent(returnTo)}` : "/sign-in");
  return owner;
}
