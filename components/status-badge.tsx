import clsx from "clsx";

export type AnyStatus = "queued" | "building" | "active" | "inactive" | "failed" | "pruned";

const styles: Record<AnyStatus, { label: string; badge: string; dot: string }> = {
  active: { label: "Active", badge: "bg-emerald-50 text-emerald-800 ring-emerald-600/20", dot: "bg-emerald-500" },
  building: { label: "Building", badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-500 animate-pulse" },
  queued: { label: "Queued", badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-400 animate-pulse" },
  failed: { label: "Failed", badge: "bg-red-50 text-red-800 ring-red-600/20", dot: "bg-red-500" },
  inactive: { label: "Inactive", badge: "bg-zinc-100 text-zinc-700 ring-zinc-500/20", dot: "bg-zinc-400" },
  pruned: { label: "Pruned", badge: "bg-[repeating-linear-gradient(135deg,var(--color-zinc-100)_0_4px,var(--color-zinc-200)_4px_8px)] text-zinc-600 ring-zinc-400/30", dot: "bg-zinc-300" },
};

export function statusDotClass(status: AnyStatus): string {
  return styles[status]?.dot ?? "bg-zinc-400";
}

/** A coloured status pill; colour is never the only signal (the word is always there). */
export function StatusBadge({ status, className }: { status: AnyStatus; className?: string }) {
  const s = styles[status] ?? styles.inactive;
  return (
    <span
      data-status={status}
      className={clsx("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", s.badge, className)}
    >
      <span aria-hidden="true" className={clsx("h-1.5 w-1.5 rounded-full", s.dot)} />
      {s.label}
    </span>
  );
}
