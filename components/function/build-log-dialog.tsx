"use client";

import * as Dialog from "@radix-ui/react-dialog";
import clsx from "clsx";
import { useState } from "react";
import { buttonClass } from "../ui/button";
import { Notice } from "../ui/field";
import { errorMessage } from "../lib/api";
import { LogView } from "./build-log";
import { useDeployment } from "./queries";

/** A button that opens one version's build log in a dialog (fetched when opened). */
export function BuildLogDialog({ functionId, version, emphasis }: { functionId: string; version: number; emphasis?: boolean }) {
  const [open, setOpen] = useState(false);
  const { data, error, isPending } = useDeployment(functionId, version, open);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className={clsx(buttonClass(emphasis ? "secondary" : "ghost", "sm"), emphasis && "text-red-700")}>
        {emphasis ? `Open build log of v${version}` : `Build log`}
        <span className="sr-only">{emphasis ? "" : ` of v${version}`}</span>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 flex max-h-[85vh] w-[calc(100vw-2rem)] max-w-3xl -translate-x-1/2 -translate-y-1/2 flex-col rounded-xl bg-white shadow-xl ring-1 ring-zinc-200">
          <div className="flex items-center justify-between gap-2 border-b border-zinc-100 px-5 py-3">
            <Dialog.Title className="text-base font-semibold">Build log · v{version}</Dialog.Title>
            <Dialog.Close className={buttonClass("ghost", "sm")}>Close</Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">The output of the image build for version {version}.</Dialog.Description>
          <div className="min-h-0 flex-1 space-y-3 overflow-auto p-5">
            {data?.error ? <Notice tone="error">{data.error}</Notice> : null}
            {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
            <LogView
              text={isPending ? "Loading…" : (data?.buildLog ?? "")}
              label={`Build log of v${version}`}
              className="max-h-[60vh] min-h-40 overflow-auto rounded-lg bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed whitespace-pre-wrap break-all text-zinc-200"
            />
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
