"use server";

import { AuthError } from "next-auth";
import { registerUser } from "@/server/auth/register-user";
import { signIn } from "@/server/auth/nextauth";
import { INVALID_CREDENTIALS } from "@/server/auth/verify-credentials";
import { actionError } from "../_lib/action";

export type AuthFormState = { error?: string; email?: string };

function safeCallbackUrl(value: FormDataEntryValue | null): string {
  // Only same-site paths, so a crafted link cannot bounce a user to another site after sign-in.
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/functions";
}

async function signInWith(formData: FormData) {
  await signIn("credentials", {
    email: formData.get("email"),
    password: formData.get("password"),
    redirectTo: safeCallbackUrl(formData.get("callbackUrl")),
  });
}

export async function signInAction(_state: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = String(formData.get("email") ?? "");
  try {
    await signInWith(formData);
  } catch (error) {
    if (error instanceof AuthError) return { error: INVALID_CREDENTIALS, email };
    throw error; // the redirect on success travels as a thrown value
  }
  return {};
}

export async function signUpAction(_state: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = String(formData.get("email") ?? "");
  try {
    await registerUser({ email, password: formData.get("password") });
  } catch (error) {
    return { error: actionError(error).error, email };
  }
  await signInWith(formData);
  return {};
}
