"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { createTokenAction, listTokensAction, revokeTokenAction, type ApiTokenView } from "@/app/(dashboard)/settings/actions";
import { CopyButton } from "./copy-button";
import { RelativeTime } from "./relative-time";
import { Card } from "./ui/card";
import { Button } from "./ui/button";
import { ConfirmDialog } from "./ui/confirm-dialog";
import { inputClass, Notice } from "./ui/field";
import { keys } from "./lib/api";

async function fetchTokens(): Promise<ApiTokenView[]> {
  const result = await listTokensAction();
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

/** Create (the token is shown once), list with last use, revoke. */
export function ApiTokens({ initial }: { initial: ApiTokenView[] }) {
  const id = useId();
  const client = useQueryClient();
  const { data: tokens } = useQuery({ queryKey: keys.tokens, queryFn: fetchTokens, initialData: initial, refetchInterval: 30_000 });
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await createTokenAction({ name });
    setPending(false);
    if (!result.ok) return setError(result.error);
    setCreated({ name: result.data.name, token: result.data.token });
    setName("");
    client.setQueryData<ApiTokenView[]>(keys.tokens, (old) => [result.data, ...(old ?? [])]);
    void client.invalidateQueries({ queryKey: keys.tokens });
  }

  return (
    <Card
      title="API tokens"
      description={
        <>
          For the CLI and scripts: send <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
        </>
      }
    >
      <form onSubmit={create} className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-48 space-y-1.5">
          <label htmlFor={`${id}-name`} className="block text-sm font-medium text-zinc-800">
            Token name
          </label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="ci" required maxLength={100} className={inputClass} />
        </div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      <div aria-live="polite" className="mt-3 space-y-3 empty:hidden">
        {error ? <Notice tone="error">{error}</Notice> : null}
        {created ? (
          <div className="rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200" data-testid="new-token">
            <p className="text-sm font-medium text-emerald-900">
              Token “{created.name}” created. Copy it now: it is not shown again.
            </p>
            <div className="mt-2 flex items-center gap-2">
              <code className="block min-w-0 flex-1 truncate rounded-md bg-white px-2.5 py-1.5 font-mono text-xs ring-1 ring-emerald-200" title={created.token}>
                {created.token}
              </code>
              <CopyButton value={created.token} label="Copy token" />
            </div>
            <Button size="sm" className="mt-3" onClick={() => setCreated(null)}>
              I have saved it
            </Button>
          </div>
        ) : null}
      </div>
      <div className="mt-5">
        {tokens.length === 0 ? (
          <p className="text-sm text-zinc-500">No tokens yet.</p>
        ) : (
          <ul aria-label="API tokens" className="divide-y divide-zinc-100 rounded-lg ring-1 ring-zinc-200">
            {tokens.map((t) => (
              <TokenRow key={t.id} token={t} />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

function TokenRow({ token }: { token: ApiTokenView }) {
  const client = useQueryClient();

  async function revoke(): Promise<string | null> {
    const result = await revokeTokenAction(token.id);
    if (!result.ok) return result.error;
    client.setQueryData<ApiTokenView[]>(keys.tokens, (old) => old?.filter((t) => t.id !== token.id));
    void client.invalidateQueries({ queryKey: keys.tokens });
    return null;
  }

  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2.5">
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium text-zinc-900">{token.name}</p>
        <p className="text-xs text-zinc-500">
          <span className="font-mono">{token.prefix}…</span> · created <RelativeTime iso={token.createdAt} /> ·{" "}
          {token.lastUsedAt ? (
            <>
              last used <RelativeTime iso={token.lastUsedAt} />
            </>
          ) : (
            "never used"
          )}
          {token.expiresAt ? (
            <>
              {" "}
              · expires <RelativeTime iso={token.expiresAt} />
            </>
          ) : null}
        </p>
      </div>
      <ConfirmDialog
        trigger={
          <Button size="sm" className="text-red-700">
            Revoke<span className="sr-only"> token {token.name}</span>
          </Button>
        }
        title={<>Revoke “{token.name}”?</>}
        description={<p>Scripts and CI jobs using it stop working at once.</p>}
        confirmLabel="Revoke token"
        pendingLabel="Revoking…"
        tone="danger"
        onConfirm={revoke}
      />
    </li>
  );
}
