"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useState } from "react";
import { buttonClass } from "./button";
import { Notice } from "./field";

type Props = {
  /** The element that opens the dialog (rendered as the Radix trigger via asChild), e.g. a `<Button>`. */
  trigger: React.ReactElement;
  /** The dialog's accessible name. */
  title: React.ReactNode;
  /** Body text; wrap several paragraphs in `<p>`s. */
  description: React.ReactNode;
  confirmLabel: React.ReactNode;
  pendingLabel: React.ReactNode;
  tone: "primary" | "danger";
  /** Runs the confirmed action: resolves to an error message to show, or null on success (the dialog then closes). */
  onConfirm: () => Promise<string | null>;
};

/** A confirmation dialog that stays open while its action runs and shows the action's error inside. */
export function ConfirmDialog({ trigger, title, description, confirmLabel, pendingLabel, tone, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm(event: React.MouseEvent) {
    event.preventDefault(); // Radix would close on click; keep the dialog open until the action is done
    setPending(true);
    setError(null);
    const failure = await onConfirm().catch((e: unknown) => (e instanceof Error ? e.message : "The request failed."));
    setPending(false);
    if (failure !== null) {
      setError(failure);
      return;
    }
    setOpen(false);
  }

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return; // no closing half-way through the action
        setOpen(next);
        if (next) setError(null);
      }}
    >
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-200">
          <AlertDialog.Title className="text-base font-semibold text-zinc-900">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-zinc-600">{description}</div>
          </AlertDialog.Description>
          {error ? (
            <div className="mt-3">
              <Notice tone="error">{error}</Notice>
            </div>
          ) : null}
          <div className="mt-5 flex flex-wrap justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass("secondary")} disabled={pending}>
              Cancel
            </AlertDialog.Cancel>
            <AlertDialog.Action className={buttonClass(tone)} onClick={confirm} disabled={pending} aria-busy={pending}>
              {pending ? pendingLabel : confirmLabel}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
