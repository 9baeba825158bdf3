"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { FunctionView } from "@/server/deployments/present";
import { deleteFunctionAction, updateSettingsAction } from "@/app/(dashboard)/functions/actions";
import { Card } from "../ui/card";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { inputClass, Notice } from "../ui/field";
import { keys } from "../lib/api";
import { useRefreshFunction } from "./queries";

type Settings = FunctionView["settings"];
type NumericKey = Exclude<keyof Settings, "publicInvoke">;

const numericFields: { key: NumericKey; label: string; hint: string; step?: string }[] = [
  { key: "memoryMb", label: "Memory (MB)", hint: "Per container, 32–8192." },
  { key: "cpus", label: "CPUs", hint: "Share of a core, e.g. 0.5.", step: "0.05" },
  { key: "timeoutMs", label: "Request timeout (ms)", hint: "A call longer than this gets 504." },
  { key: "concurrency", label: "Concurrency", hint: "Requests handled at once." },
  { key: "queueLimit", label: "Queue limit", hint: "Waiting requests before 429." },
  { key: "pidsLimit", label: "Process limit", hint: "Max processes in the container." },
  { key: "idleTimeoutMs", label: "Idle timeout (ms)", hint: "Stop the container after this long idle." },
  { key: "retention", label: "Versions kept", hint: "Older builds are pruned; 0 keeps all." },
];

/** Limits, public invocation and retention; only what changed (against the saved settings) is sent. */
export function FunctionSettingsForm({ fn }: { fn: FunctionView }) {
  const id = useId();
  const client = useQueryClient();
  const refresh = useRefreshFunction(fn.id);
  const [values, setValues] = useState<Record<NumericKey, string>>(
    () => Object.fromEntries(numericFields.map((f) => [f.key, String(fn.settings[f.key])])) as Record<NumericKey, string>,
  );
  const [publicInvoke, setPublicInvoke] = useState(fn.settings.publicInvoke);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    for (const f of numericFields) {
      const n = Number(values[f.key]);
      if (values[f.key].trim() === "" || !Number.isFinite(n)) {
        setMessage({ tone: "error", text: `${f.label} must be a number.` });
        return;
      }
      if (n !== fn.settings[f.key]) changes[f.key] = n;
    }
    if (publicInvoke !== fn.settings.publicInvoke) changes.publicInvoke = publicInvoke;
    if (Object.keys(changes).length === 0) {
      setMessage({ tone: "success", text: "Nothing changed." });
      return;
    }
    setPending(true);
    setMessage(null);
    const result = await updateSettingsAction(fn.id, changes);
    setPending(false);
    if (!result.ok) return setMessage({ tone: "error", text: result.error });
    const saved = result.data.settings;
    client.setQueryData<FunctionView>(keys.fn(fn.id), (old) => (old ? { ...old, settings: saved } : old));
    setValues(Object.fromEntries(numericFields.map((f) => [f.key, String(saved[f.key])])) as Record<NumericKey, string>);
    setPublicInvoke(saved.publicInvoke);
    setMessage({ tone: "success", text: "Saved. Limits apply to containers started from now on." });
    void refresh();
  }

  return (
    <Card id="settings" title="Settings" description="Limits apply to containers started after a change.">
      <form onSubmit={save} className="space-y-5">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {numericFields.map((f) => (
            <div key={f.key} className="space-y-1">
              <label htmlFor={`${id}-${f.key}`} className="block text-sm font-medium text-zinc-800">
                {f.label}
              </label>
              <input
                id={`${id}-${f.key}`}
                type="number"
                inputMode="decimal"
                step={f.step ?? "1"}
                min={0}
                value={values[f.key]}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                aria-describedby={`${id}-${f.key}-hint`}
                className={inputClass}
              />
              <p id={`${id}-${f.key}-hint`} className="text-xs text-zinc-500">
                {f.hint}
              </p>
            </div>
          ))}
        </div>
        <label className="flex items-start gap-3 rounded-lg p-3 ring-1 ring-zinc-200">
          <input type="checkbox" checked={publicInvoke} onChange={(e) => setPublicInvoke(e.target.checked)} className="mt-0.5 h-4 w-4 accent-indigo-600" />
          <span>
            <span className="block text-sm font-medium text-zinc-800">Public invocation</span>
            <span className="block text-xs text-zinc-500">Anyone with the invoke URL can call the active version, without a token.</span>
          </span>
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save settings"}
          </Button>
          <div aria-live="polite" className="min-w-0 flex-1">
            {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
          </div>
        </div>
      </form>
      <DeleteFunction fn={fn} />
    </Card>
  );
}

function DeleteFunction({ fn }: { fn: FunctionView }) {
  const router = useRouter();
  const client = useQueryClient();

  async function deleteFunction(): Promise<string | null> {
    const result = await deleteFunctionAction(fn.id);
    if (!result.ok) return result.error;
    client.removeQueries({ queryKey: ["function", fn.id] });
    // Leave once the list knows the function is gone; the dialog closes meanwhile.
    void client.invalidateQueries({ queryKey: keys.functions }).then(() => {
      router.push("/functions");
      router.refresh();
    });
    return null;
  }

  return (
    <div className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-zinc-100 pt-5">
      <div>
        <h3 className="text-sm font-semibold text-red-800">Delete this function</h3>
        <p className="text-xs text-zinc-500">Removes every version, its archives and images. This cannot be undone.</p>
      </div>
      <ConfirmDialog
        trigger={<Button className="text-red-700">Delete function</Button>}
        title={`Delete ${fn.name}?`}
        description={<p>Its invoke URL stops answering at once, and all versions, archives and images are removed.</p>}
        confirmLabel={`Delete ${fn.name}`}
        pendingLabel="Deleting…"
        tone="danger"
        onConfirm={deleteFunction}
      />
    </div>
  );
}
