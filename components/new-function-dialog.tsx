"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { createFunctionAction } from "@/app/(dashboard)/functions/actions";
import { DropZone, UploadProgress } from "./drop-zone";
import { Button, buttonClass } from "./ui/button";
import { inputClass, Notice } from "./ui/field";
import { errorMessage, keys } from "./lib/api";
import { formatBytes } from "./lib/format";
import { uploadArchive, type UploadHandle } from "./lib/upload";
import { runtimeOptions } from "./runtime";

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** "hello-world.tar.gz" → "hello-world": a good first guess at the name. */
function nameFromFile(fileName: string): string {
  const base = fileName.replace(/\.(tar\.gz|tgz)$/i, "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "");
  return base.slice(0, 63);
}

/**
 * Creates a function. The main path: name it, drop an archive, deploy v1 (and land on its page
 * to watch the build). Creating an empty function for a later upload works too.
 */
export function NewFunctionDialog({ maxBytes, triggerLabel = "New function", primary = true }: { maxBytes: number; triggerLabel?: string; primary?: boolean }) {
  const id = useId();
  const router = useRouter();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [runtime, setRuntime] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const upload = useRef<UploadHandle | null>(null);
  const busy = progress !== null || creating;

  function reset() {
    setName("");
    setRuntime("");
    setFile(null);
    setProblem(null);
    setProgress(null);
    setCreating(false);
  }

  function checkName(): boolean {
    if (!NAME_PATTERN.test(name)) {
      setProblem('Names start with a lowercase letter and use only lowercase letters, digits and dashes, like "hello-world".');
      return false;
    }
    return true;
  }

  async function deploy(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (!file) return setProblem("Drop a .tar.gz archive (or choose one) to deploy the first version.");
    if (!checkName()) return;
    setProgress(0);
    const handle = uploadArchive("/api/functions/deploy", file, { name, runtime }, setProgress);
    upload.current = handle;
    try {
      const accepted = await handle.promise;
      await client.invalidateQueries({ queryKey: keys.functions });
      setOpen(false);
      reset();
      // The function page picks up this build and streams its log, however fast it finishes.
      router.push(`/functions/${accepted.id}?deployed=${accepted.version}`);
    } catch (error) {
      setProgress(null);
      setProblem(errorMessage(error));
    } finally {
      upload.current = null;
    }
  }

  async function createEmpty() {
    setProblem(null);
    if (!checkName()) return;
    if (!runtime) return setProblem("Choose a runtime to create a function without an archive.");
    setCreating(true);
    const result = await createFunctionAction({ name, runtime });
    setCreating(false);
    if (!result.ok) return setProblem(result.error);
    await client.invalidateQueries({ queryKey: keys.functions });
    setOpen(false);
    reset();
    router.push(`/functions/${result.data.id}`);
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && upload.current) upload.current.abort();
        setOpen(next);
        if (!next) reset();
      }}
    >
      <Dialog.Trigger className={buttonClass(primary ? "primary" : "secondary")}>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.75">
          <path d="M8 3v10M3 8h10" strokeLinecap="round" />
        </svg>
        {triggerLabel}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-auto rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-200 sm:p-6">
          <Dialog.Title className="text-lg font-semibold">New function</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            Name it and drop a <code className="font-mono">.tar.gz</code> of your project. It is built and goes live as v1.
          </Dialog.Description>
          <form onSubmit={deploy} className="mt-5 space-y-4">
            <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem]">
              <div className="space-y-1.5">
                <label htmlFor={`${id}-name`} className="block text-sm font-medium text-zinc-800">
                  Name
                </label>
                <input
                  id={`${id}-name`}
                  value={name}
                  onChange={(e) => setName(e.target.value.toLowerCase())}
                  placeholder="hello-world"
                  autoComplete="off"
                  spellCheck={false}
                  disabled={busy}
                  aria-describedby={`${id}-name-hint`}
                  className={`${inputClass} font-mono`}
                />
                <p id={`${id}-name-hint`} className="text-xs text-zinc-500">
                  Lowercase letters, digits and dashes.
                </p>
              </div>
              <div className="space-y-1.5">
                <label htmlFor={`${id}-runtime`} className="block text-sm font-medium text-zinc-800">
                  Runtime
                </label>
                <select id={`${id}-runtime`} value={runtime} onChange={(e) => setRuntime(e.target.value)} disabled={busy} className={inputClass}>
                  <option value="">Auto-detect</option>
                  {runtimeOptions.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {progress !== null && file ? (
              <div className="flex min-h-28 flex-col justify-center rounded-lg border border-zinc-200 bg-zinc-50 px-4">
                <UploadProgress fraction={progress} fileName={file.name} />
              </div>
            ) : (
              <DropZone
                maxBytes={maxBytes}
                disabled={busy}
                onFile={(f) => {
                  setFile(f);
                  setProblem(null);
                  if (!name) setName(nameFromFile(f.name));
                }}
                onInvalid={(message) => {
                  setFile(null);
                  setProblem(message);
                }}
                label={file ? "Drop another archive to replace it" : "Drop a .tar.gz archive here"}
              />
            )}
            {file && progress === null ? (
              <p className="flex items-center gap-2 text-sm text-zinc-700" data-testid="chosen-file">
                <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4 text-emerald-600" fill="none" stroke="currentColor" strokeWidth="2">
                  <path d="M3 8.5 6.5 12 13 4.5" />
                </svg>
                <span className="min-w-0 truncate font-mono text-xs" title={file.name}>
                  {file.name}
                </span>
                <span className="text-xs text-zinc-500">{formatBytes(file.size)}</span>
              </p>
            ) : null}
            <div>{problem ? <Notice tone="error">{problem}</Notice> : null}</div>
            <div className="flex flex-col-reverse gap-2 sm:flex-row sm:items-center sm:justify-between">
              <Button variant="ghost" onClick={createEmpty} disabled={busy}>
                {creating ? "Creating…" : "Create without deploying"}
              </Button>
              <div className="flex flex-col-reverse gap-2 sm:flex-row">
                <Dialog.Close className={buttonClass("secondary")}>Cancel</Dialog.Close>
                <Button type="submit" variant="primary" disabled={busy}>
                  {progress !== null ? `Uploading… ${Math.round(progress * 100)}%` : "Create and deploy"}
                </Button>
              </div>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
