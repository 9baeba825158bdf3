import type { Metadata } from "next";
import Link from "next/link";
import { ownerOrRedirect } from "@/app/_lib/page-owner";
import { ApiTokens } from "@/components/api-tokens";
import { StatusBadge } from "@/components/status-badge";
import { Card } from "@/components/ui/card";
import { listApiTokens } from "@/server/auth/api-tokens";
import { listFunctions } from "@/server/functions/list-functions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const owner = await ownerOrRedirect("/settings");
  const [tokens, functions] = await Promise.all([listApiTokens(owner.userId), listFunctions(owner)]);
  const initialTokens = tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
  }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Signed in as <span className="font-medium text-zinc-800">{owner.email}</span>.
        </p>
      </div>
      <ApiTokens initial={initialTokens} />
      <Card title="Function settings" description="Limits, public invocation and how many versions to keep are set per function.">
        {functions.length === 0 ? (
          <p className="text-sm text-zinc-500">You have no functions yet.</p>
        ) : (
          <ul className="divide-y divide-zinc-100">
            {functions.map((fn) => (
              <li key={fn.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5">
                <span className="min-w-0 truncate font-mono text-sm font-medium">{fn.name}</span>
                <StatusBadge status={fn.status} />
                <span className="text-xs text-zinc-500">
                  {fn.settings.memoryMb} MB · {fn.settings.cpus} CPU · keeps {fn.settings.retention || "all"} versions
                  {fn.settings.publicInvoke ? " · public" : ""}
                </span>
                <Link href={`/functions/${fn.id}#settings`} className="ml-auto text-sm font-medium text-indigo-700 hover:underline">
                  Edit<span className="sr-only"> settings of {fn.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
