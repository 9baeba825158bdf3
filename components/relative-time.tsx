"use client";

import { useSyncExternalStore } from "react";
import { formatExact, formatRelative } from "./lib/format";

// One shared clock for every relative time on the page, ticking every 30 s.
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** "3 minutes ago", with the exact time on hover and in the machine-readable dateTime. */
export function RelativeTime({ iso, className }: { iso: string | null | undefined; className?: string }) {
  const current = useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
  if (!iso) return <span className={className}>—</span>;
  const exact = formatExact(iso);
  return (
    <time dateTime={iso} title={exact} className={className}>
      {current === null ? exact : formatRelative(iso, current)}
    </time>
  );
}
