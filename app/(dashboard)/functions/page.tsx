import type { Metadata } from "next";
import { ownerOrRedirect } from "@/app/_lib/page-owner";

export const metadata: Metadata = { title: "Functions" };

export default async function FunctionsPage() {
  await ownerOrRedirect("/functions");
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold tracking-tight">Functions</h1>
      </div>
      <section className="rounded-xl border border-dashed border-zinc-300 bg-white p-10 text-center">
        <h2 className="text-base font-semibold">No functions yet</h2>
        <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600">
          Deploy your first function by uploading a <code className="font-mono">.tar.gz</code> archive of a Dart, Node.js or
          Dockerfile project. Every upload becomes a new version you can roll back to.
        </p>
      </section>
    </div>
  );
}
