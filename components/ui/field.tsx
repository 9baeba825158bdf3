import clsx from "clsx";

export const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-600 disabled:bg-zinc-50 disabled:text-zinc-500";

/** A labelled form control with an optional hint, wired with htmlFor/aria-describedby. */
export function Field({
  id,
  label,
  hint,
  children,
  className,
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  children: (describedBy: string | undefined) => React.ReactNode;
  className?: string;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={clsx("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      {children(hintId)}
      {hint ? (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** An inline error or success message, announced to screen readers. */
export function Notice({ tone, children }: { tone: "error" | "success" | "info"; children: React.ReactNode }) {
  return (
    <p
      role={tone === "error" ? "alert" : "status"}
      className={clsx(
        "rounded-md px-3 py-2 text-sm break-words",
        tone === "error" && "bg-red-50 text-red-800 ring-1 ring-red-200",
        tone === "success" && "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200",
        tone === "info" && "bg-indigo-50 text-indigo-800 ring-1 ring-indigo-200",
      )}
    >
      {children}
    </p>
  );
}
