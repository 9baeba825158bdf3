import clsx from "clsx";

/** Monospace text (hashes, tags, keys) that truncates in narrow space and shows all on hover. */
export function Mono({ value, display, className }: { value: string | null | undefined; display?: string; className?: string }) {
  if (!value) return <span className="text-zinc-400">—</span>;
  return (
    <span title={value} className={clsx("block min-w-0 truncate font-mono text-xs text-zinc-700", className)}>
      {display ?? value}
    </span>
  );
}
