"use server";

import { signOut } from "@/server/auth/nextauth";

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
