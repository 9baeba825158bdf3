import type { VersionStats } from "./queries";

/**
 * Calls per version over the last day as horizontal bars (errors in red at the end of each
 * bar), in plain SVG. The numbers are also written out, so the picture is never the only way in.
 */
export function InvocationChart({ byVersion, activeVersion }: { byVersion: VersionStats[]; activeVersion: number | null }) {
  const rows = byVersion.slice(0, 8);
  const max = Math.max(1, ...rows.map((r) => r.count));
  const rowHeight = 26;
  const labelWidth = 36;
  const width = 300;
  const barArea = width - labelWidth - 4;
  const height = rows.length * rowHeight;
  const summary = rows.map((r) => `v${r.version}: ${r.count} calls, ${r.errors} errors`).join("; ");
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-label={`Invocations per version in the last 24 hours. ${summary}`}>
        {rows.map((r, i) => {
          const y = i * rowHeight;
          const total = (r.count / max) * barArea;
          const errors = (r.errors / max) * barArea;
          const active = r.version === activeVersion;
          return (
            <g key={r.version} transform={`translate(0 ${y})`}>
              <text x={0} y={15} className={active ? "fill-emerald-700" : "fill-zinc-500"} fontSize="11" fontFamily="ui-monospace, monospace" fontWeight={active ? 700 : 400}>
                v{r.version}
              </text>
              <rect x={labelWidth} y={5} width={barArea} height={12} rx={3} className="fill-zinc-100" />
              <rect x={labelWidth} y={5} width={Math.max(total, r.count ? 2 : 0)} height={12} rx={3} className={active ? "fill-emerald-500" : "fill-indigo-400"} />
              {r.errors > 0 ? (
                <rect x={labelWidth + total - errors} y={5} width={Math.max(errors, 2)} height={12} rx={2} className="fill-red-500" />
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-[11px] text-zinc-500">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="h-2 w-2 rounded-sm bg-emerald-500" /> active version
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="h-2 w-2 rounded-sm bg-indigo-400" /> other versions
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="h-2 w-2 rounded-sm bg-red-500" /> errors (5xx)
        </span>
      </figcaption>
    </figure>
  );
}
