import "server-only";

const KB = 1024;
const MB = 1024 * 1024;

/** Human size for messages: "50 MB", "50.1 MB", "12 KB", "300 bytes" (binary units, as the limits are). */
export function formatSize(bytes: number): string {
  if (bytes >= MB) return `${trimZero((bytes / MB).toFixed(1))} MB`;
  if (bytes >= KB) return `${trimZero((bytes / KB).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

/** "51 MB" vs a limit of "50 MB"; when both round to the same text, say "more than". */
export function formatSizeOver(bytes: number, limit: number): string {
  const size = formatSize(bytes);
  return size === formatSize(limit) ? `more than ${size}` : size;
}

function trimZero(n: string): string {
  return n.endsWith(".0") ? n.slice(0, -2) : n;
}

/** An entry name as it appears in a message: quoted, control characters escaped, cut short. */
export function quoteEntry(name: string): string {
  const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(shown);
}

export const TAR_COMMAND = "`tar -czf function.tar.gz -C your-folder .`";
