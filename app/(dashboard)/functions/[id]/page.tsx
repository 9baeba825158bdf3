import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ownerOrRedirect } from "@/app/_lib/page-owner";
import { FunctionPage } from "@/components/function/function-page";
import { config } from "@/server/config";
import { listDeployments } from "@/server/deployments/list-deployments";
import { asAppError } from "@/server/errors";
import { getFunction } from "@/server/functions/get-function";
import type { Owner } from "@/server/auth/owner";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ deployed?: string | string[] }> };

/** The function and the first page of its history, or null when this owner has no such function. */
async function load(owner: Owner, id: string) {
  try {
    const [fn, firstPage] = await Promise.all([getFunction(owner, id), listDeployments(owner, id, { limit: 20 })]);
    return { fn, firstPage };
  } catch (error) {
    if (asAppError(error)?.code === "not_found") return null;
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const owner = await ownerOrRedirect(`/functions/${id}`);
  const data = await load(owner, id);
  return { title: data ? data.fn.name : "Function not found" };
}

export default async function Page({ params, searchParams }: Props) {
  const { id } = await params;
  const owner = await ownerOrRedirect(`/functions/${id}`);
  const data = await load(owner, id);
  if (!data) notFound();
  // The invoke URL is shown absolute; the browser corrects this guess with its own origin.
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? "http";
  // ?deployed=N (set after an upload from the list) keeps showing that build's log once it settles.
  const deployed = Number((await searchParams).deployed);
  return (
    <FunctionPage
      initial={data.fn}
      firstPage={data.firstPage}
      origin={`${proto}://${host}`}
      maxBytes={config.limits.archiveMaxBytes}
      watchVersion={Number.isInteger(deployed) && deployed > 0 ? deployed : null}
    />
  );
}
