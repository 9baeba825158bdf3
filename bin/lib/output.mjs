/**
 * Everything the CLI prints goes through here: text for people on stdout, warnings and progress
 * on stderr, and with --json exactly one JSON document on stdout.
 */

/**
 * @typedef {object} Writable
 * @property {(chunk: string | Uint8Array) => unknown} write
 * @property {boolean} [isTTY]
 */

/**
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "-";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * @param {number | null | undefined} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

/**
 * "just now", "5 min ago", "3 h ago", "2 days ago", then the date.
 * @param {string | null | undefined} iso
 * @param {Date} [now]
 * @returns {string}
 */
export function formatAgo(iso, now = new Date()) {
  if (!iso) return "-";
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "-";
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 86400 * 14) return `${Math.round(seconds / 86400)} days ago`;
  return then.toISOString().slice(0, 10);
}

/**
 * A plain-text table with a header row; columns padded to their widest cell, the last column
 * not padded (it often holds a long message).
 * @param {string[]} headers
 * @param {(string | number | null | undefined)[][]} rows
 * @returns {string}
 */
export function formatTable(headers, rows) {
  const cells = [headers, ...rows.map((row) => row.map((c) => (c === null || c === undefined || c === "" ? "-" : String(c))))];
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * "Uploading  1.2 MB / 3.4 MB  35%"
 * @param {number} sent
 * @param {number} total
 * @returns {string}
 */
export function formatProgress(sent, total) {
  const percent = total > 0 ? Math.floor((sent / total) * 100) : 100;
  return `Uploading ${formatBytes(sent)} / ${formatBytes(total)} (${percent}%)`;
}

/**
 * @param {{ stdout: Writable, stderr: Writable, json: boolean, env?: Record<string, string | undefined> }} options
 */
export function createOutput({ stdout, stderr, json, env = {} }) {
  const color = Boolean(stderr.isTTY) && !env.NO_COLOR && env.TERM !== "dumb";
  /** @param {string} code @param {string} text */
  const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    json,
    /** Text for people; nothing in --json mode. @param {string} text */
    info(text) {
      if (!json) stdout.write(text.endsWith("\n") ? text : text + "\n");
    },
    /** Progress and notes that are not the result: stderr, so stdout stays clean for pipes. @param {string} text */
    note(text) {
      stderr.write(text.endsWith("\n") ? text : text + "\n");
    },
    /** @param {string} text */
    warn(text) {
      stderr.write(`${paint("33", "warning:")} ${text}\n`);
    },
    /** @param {string} text */
    error(text) {
      stderr.write(`${paint("31", "error:")} ${text}\n`);
    },
    /** @param {string} text */
    success(text) {
      if (!json) stdout.write(`${paint("32", "✔")} ${text}\n`);
    },
    /** The one JSON document of --json mode. @param {unknown} value */
    result(value) {
      if (json) stdout.write(JSON.stringify(value, null, 2) + "\n");
    },
    /** Raw text as it arrives (build logs): stdout for people, stderr in --json mode. @param {string} text */
    stream(text) {
      (json ? stderr : stdout).write(text);
    },
    /**
     * A progress reporter that redraws one line on a terminal and stays silent otherwise.
     * @returns {{ update: (sent: number, total: number) => void, done: () => void }}
     */
    progress() {
      if (!stderr.isTTY) return { update: () => {}, done: () => {} };
      let last = 0;
      let drawn = false;
      return {
        update(sent, total) {
          const now = Date.now();
          if (sent < total && now - last < 100) return;
          last = now;
          drawn = true;
          stderr.write(`\r${formatProgress(sent, total)}\u001b[K`);
        },
        done() {
          if (drawn) stderr.write("\n");
        },
      };
    },
  };
}

/** @typedef {ReturnType<typeof createOutput>} Output */
