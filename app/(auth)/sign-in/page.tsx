import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { getOwner } from "@/server/auth/owner";
import { signInAction } from "../actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getOwner()) redirect("/functions");
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold tracking-tight">Sign in to Dart Cloud</h1>
      <AuthForm mode="sign-in" action={signInAction} callbackUrl={callbackUrl} />
    </>
  );
}
