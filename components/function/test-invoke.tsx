"use client";

import clsx from "clsx";
import { useId, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Card } from "../ui/card";
import { Button } from "../ui/button";
import { Field, inputClass, Notice } from "../ui/field";
import { formatDuration } from "../lib/format";
import { errorMessage, keys } from "../lib/api";

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Result = {
  status: number;
  statusText: string;
  version: string | null;
  deploymentId: string | null;
  headers: [string, string][];
  body: string;
  ms: number;
};

function prettyBody(text: string, contentType: string | null): string {
  if (contentType?.includes("json")) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not valid JSON after all: show it as it came
    }
  }
  return text;
}

/** Sends one request to the function as the owner and shows exactly what came back. */
export function TestInvoke({ functionId, invokePath, hasActive }: { functionId: string; invokePath: string; hasActive: boolean }) {
  const id = useId();
  const client = useQueryClient();
  const [method, setMethod] = useState<(typeof methods)[number]>("GET");
  const [path, setPath] = useState("/");
  const [body, setBody] = useState("");
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const hasBody = method !== "GET";

  async function send(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    const started = performance.now();
    try {
      const suffix = path.trim().replace(/^\/+/, "");
      const response = await fetch(`${invokePath}${suffix ? `/${suffix}` : ""}`, {
        method,
        body: hasBody && body ? body : undefined,
        headers: hasBody && body ? { "content-type": looksLikeJson(body) ? "application/json" : "text/plain" } : undefined,
        cache: "no-store",
      });
      const text = await response.text();
      setResult({
        status: response.status,
        statusText: response.statusText,
        version: response.headers.get("x-function-version"),
        deploymentId: response.headers.get("x-deployment-id"),
        headers: [...response.headers.entries()],
        body: prettyBody(text, response.headers.get("content-type")),
        ms: performance.now() - started,
      });
    } catch (error) {
      setResult(null);
      setFailure(`The request did not complete: ${errorMessage(error)}`);
    } finally {
      setPending(false);
      void client.invalidateQueries({ queryKey: keys.invocations(functionId) });
    }
  }

  return (
    <Card title="Test invoke" description="Calls the active version as you, exactly like a client would.">
      <form onSubmit={send} className="space-y-3">
        <div className="flex gap-2">
          <div className="w-28 shrink-0">
            <label htmlFor={`${id}-method`} className="mb-1.5 block text-sm font-medium text-zinc-800">
              Method
            </label>
            <select id={`${id}-method`} value={method} onChange={(e) => setMethod(e.target.value as (typeof methods)[number])} className={inputClass}>
              {methods.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <div className="min-w-0 flex-1">
            <label htmlFor={`${id}-path`} className="mb-1.5 block text-sm font-medium text-zinc-800">
              Path
            </label>
            <input id={`${id}-path`} value={path} onChange={(e) => setPath(e.target.value)} className={clsx(inputClass, "font-mono")} spellCheck={false} />
          </div>
        </div>
        {hasBody ? (
          <Field id={`${id}-body`} label="Request body">
            {() => (
              <textarea
                id={`${id}-body`}
                value={body}
                onChange={(e) => setBody(e.target.value)}
                rows={3}
                placeholder='{"hello": "world"}'
                className={clsx(inputClass, "font-mono text-xs")}
                spellCheck={false}
              />
            )}
          </Field>
        ) : null}
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" disabled={pending || !hasActive}>
            {pending ? "Sending…" : "Send request"}
          </Button>
          {!hasActive ? <span className="text-xs text-zinc-500">Deploy a version first.</span> : null}
        </div>
      </form>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {failure ? <Notice tone="error">{failure}</Notice> : null}
        {result ? <InvokeResult result={result} /> : null}
      </div>
    </Card>
  );
}

function looksLikeJson(text: string) {
  const t = text.trim();
  return t.startsWith("{") || t.startsWith("[");
}

function InvokeResult({ result }: { result: Result }) {
  const ok = result.status < 400;
  return (
    <div className="space-y-2" data-testid="invoke-result">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span
          className={clsx(
            "rounded-md px-2 py-0.5 font-mono text-xs font-semibold ring-1 ring-inset",
            ok ? "bg-emerald-50 text-emerald-800 ring-emerald-600/20" : "bg-red-50 text-red-800 ring-red-600/20",
          )}
        >
          {result.status} {result.statusText}
        </span>
        {result.version ? (
          <span className="font-medium text-zinc-800" data-testid="served-by">
            Served by v{result.version}
          </span>
        ) : (
          <span className="text-zinc-500">Answered by the platform</span>
        )}
        <span className="text-xs text-zinc-500">{formatDuration(result.ms)}</span>
      </div>
      <details className="group rounded-md ring-1 ring-zinc-200">
        <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-zinc-700 select-none">
          Response headers ({result.headers.length})
        </summary>
        <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 gap-y-0.5 border-t border-zinc-200 px-3 py-2 font-mono text-[11px]">
          {result.headers.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="truncate text-zinc-500" title={k}>
                {k}
              </dt>
              <dd className="break-all text-zinc-800">{v}</dd>
            </div>
          ))}
        </dl>
      </details>
      <pre aria-label="Response body" className="max-h-60 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs whitespace-pre-wrap break-all text-zinc-100">
        {result.body || "(empty body)"}
      </pre>
    </div>
  );
}
