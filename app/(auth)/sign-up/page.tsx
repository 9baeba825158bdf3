import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { getOwner } from "@/server/auth/owner";
import { signUpAction } from "../actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getOwner()) redirect("/functions");
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold tracking-tight">Create your account</h1>
      <AuthForm mode="sign-up" action={signUpAction} />
    </>
  );
}
