import "server-only";
import { createReadStream } from "node:fs";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { config } from "../config";
import type { Runtime } from "../db/schema";
import { AppError, InvalidInputError, PayloadTooLargeError } from "../errors";
import { formatSize, quoteEntry, TAR_COMMAND } from "./format";

export type PackageJsonSummary = {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
};

export type ArchiveManifest = {
  /** Every entry: files and folders. */
  entries: number;
  /** Bytes of the tar stream once gunzipped. */
  uncompressedBytes: number;
  /** Normalized paths (no "./" prefix) of the regular files, in archive order. */
  files: string[];
  /** The root package.json, parsed, when present and valid. */
  packageJson?: PackageJsonSummary;
  /** Why the root package.json could not be read; only the node runtime treats this as fatal. */
  packageJsonError?: string;
  hasPackageLock: boolean;
};

export type ArchiveLimits = {
  maxUncompressedBytes: number;
  maxRatio: number;
  maxEntries: number;
};

export function archiveLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  return {
    maxUncompressedBytes: overrides.maxUncompressedBytes ?? config.limits.archiveMaxUncompressedBytes,
    maxRatio: overrides.maxRatio ?? config.limits.archiveMaxRatio,
    maxEntries: overrides.maxEntries ?? config.limits.archiveMaxEntries,
  };
}

// A tar of a few small files is mostly zero padding and compresses far beyond any sane ratio,
// so the ratio is only judged once the archive has inflated past this many bytes.
const RATIO_FLOOR_BYTES = 1024 * 1024;
const PACKAGE_JSON_MAX_BYTES = 1024 * 1024;
// GNU tar: -h alone turns two paths to one file into a hard link, hence both options.
const DEREFERENCE_COMMAND = "`tar --dereference --hard-dereference -czf function.tar.gz -C your-folder .`";
const DEPS_HINT = "Leave out dependencies and build outputs (node_modules, .dart_tool, build/): they are installed during the build.";

/**
 * Validates a .tar.gz as it streams by, without extracting anything to disk. Rejects with an
 * InvalidInputError (PayloadTooLargeError for sizes) that names the problem and the entry.
 * Bombs are stopped as soon as they cross a limit: the archive is never fully inflated.
 */
export async function validateArchiveStream(source: Readable, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveManifest> {
  const l = archiveLimits(limits);
  const gate = new GzipGate();
  const gunzip = createGunzip();
  // Bytes the inflater has actually consumed (not merely buffered), for an honest ratio.
  const meter = new InflateMeter(l, () => gunzip.bytesWritten);
  const inspector = new EntryInspector(l);
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => inspector.onEntry(header, stream, next));
  try {
    await pipeline(source, gate, gunzip, meter, extract);
  } catch (err) {
    throw explainStreamError(err);
  }
  return inspector.manifest(meter.bytes);
}

export function validateArchiveFile(path: string, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveManifest> {
  return validateArchiveStream(createReadStream(path), limits);
}

/** Checks the first bytes for the gzip magic number and counts compressed bytes. */
class GzipGate extends Transform {
  bytes = 0;
  private checked = false;
  private head = Buffer.alloc(0);

  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.bytes += chunk.length;
    if (this.checked) return cb(null, chunk);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < 2) return cb();
    if (this.head[0] !== 0x1f || this.head[1] !== 0x8b) return cb(notGzip());
    this.checked = true;
    const head = this.head;
    this.head = Buffer.alloc(0);
    cb(null, head);
  }

  _flush(cb: TransformCallback) {
    if (this.bytes === 0) return cb(new InvalidInputError(`The archive is empty (0 bytes). Upload a .tar.gz created with ${TAR_COMMAND}.`));
    if (!this.checked) return cb(notGzip());
    cb();
  }
}

function notGzip(): InvalidInputError {
  return new InvalidInputError(`The archive is not gzip-compressed. Upload a .tar.gz created with ${TAR_COMMAND}.`);
}

/** Counts inflated bytes and aborts as soon as the total or the compression ratio is too high. */
class InflateMeter extends Transform {
  bytes = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly compressedBytes: () => number,
  ) {
    super();
  }

  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.bytes += chunk.length;
    const { maxUncompressedBytes, maxRatio } = this.limits;
    if (this.bytes > maxUncompressedBytes) {
      return cb(
        new PayloadTooLargeError(
          `The archive unpacks to more than ${formatSize(maxUncompressedBytes)}, the limit for unpacked archives. ${DEPS_HINT}`,
        ),
      );
    }
    const compressed = Math.max(1, this.compressedBytes());
    if (this.bytes > RATIO_FLOOR_BYTES && this.bytes / compressed > maxRatio) {
      return cb(
        new InvalidInputError(
          `The archive expands more than ${maxRatio} times its compressed size (${formatSize(compressed)} unpacked to over ${formatSize(this.bytes)} and counting), which is how decompression bombs look, so it was rejected. Upload an archive of your source files only.`,
        ),
      );
    }
    cb(null, chunk);
  }
}

type PathKind = "file" | "dir" | "implied-dir";
/** The part of tar-stream's (streamx) entry stream used here. */
interface EntryStream {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  resume(): unknown;
}

/** Judges each tar entry as it arrives and builds the manifest. */
class EntryInspector {
  private entries = 0;
  private readonly files: string[] = [];
  private readonly paths = new Map<string, PathKind>();
  private packageJson?: PackageJsonSummary;
  private packageJsonError?: string;

  constructor(private readonly limits: ArchiveLimits) {}

  onEntry(header: tar.Header, stream: EntryStream, next: (err?: Error | null) => void) {
    // tar-stream destroys the entry stream with the archive's error; it must not go unhandled.
    stream.on("error", () => {});
    let kind: "file" | "dir";
    try {
      kind = this.check(header);
    } catch (err) {
      stream.resume();
      return next(err as Error);
    }
    const path = normalizeEntryPath(header.name);
    if (kind === "file" && path === "package.json") return this.readPackageJson(header, stream, next);
    stream.on("end", () => next());
    stream.resume();
  }

  manifest(uncompressedBytes: number): ArchiveManifest {
    return {
      entries: this.entries,
      uncompressedBytes,
      files: this.files,
      ...(this.packageJson ? { packageJson: this.packageJson } : {}),
      ...(this.packageJsonError ? { packageJsonError: this.packageJsonError } : {}),
      hasPackageLock: this.paths.get("package-lock.json") === "file",
    };
  }

  /** Throws for a forbidden entry; otherwise records it and says whether it is a file or a folder. */
  private check(header: tar.Header): "file" | "dir" {
    this.entries += 1;
    const { maxEntries, maxUncompressedBytes } = this.limits;
    if (this.entries > maxEntries) {
      throw new InvalidInputError(`The archive has more than ${maxEntries} entries (files and folders); the limit is ${maxEntries}. ${DEPS_HINT}`);
    }
    const raw = header.name;
    const name = quoteEntry(raw);
    const path = checkEntryPath(raw);
    const kind = entryKind(header, name);
    if (kind === "file" && (header.size ?? 0) > maxUncompressedBytes) {
      throw new PayloadTooLargeError(
        `The archive entry ${name} is ${formatSize(header.size ?? 0)}; archives may unpack to at most ${formatSize(maxUncompressedBytes)}. ${DEPS_HINT}`,
      );
    }
    if (path === "") {
      if (kind === "dir") return kind; // "./": the archive root itself
      throw new InvalidInputError(`The archive has a file entry ${name} with an empty name. Re-create the archive with ${TAR_COMMAND}.`);
    }
    this.record(path, kind, name);
    if (kind === "file") this.files.push(path);
    return kind;
  }

  /** Rejects duplicates, and a path that is both a file and a folder (extraction would clash). */
  private record(path: string, kind: "file" | "dir", name: string) {
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/");
      const seen = this.paths.get(parent);
      if (seen === "file") {
        throw new InvalidInputError(`The archive entry ${name} sits inside "${parent}", which the archive also has as a file. Re-create the archive with ${TAR_COMMAND}.`);
      }
      if (!seen) this.paths.set(parent, "implied-dir");
    }
    const seen = this.paths.get(path);
    if (seen === "file" || seen === "dir") {
      if (seen === kind) {
        throw new InvalidInputError(
          `The archive contains "${path}" more than once (entry ${name}). Each path may appear only once; this happens when the same folder is added to the archive twice. Re-create it with ${TAR_COMMAND}.`,
        );
      }
      throw new InvalidInputError(`The archive has "${path}" both as a file and as a folder. Re-create the archive with ${TAR_COMMAND}.`);
    }
    if (seen === "implied-dir" && kind === "file") {
      throw new InvalidInputError(`The archive has "${path}" both as a file and as a folder. Re-create the archive with ${TAR_COMMAND}.`);
    }
    this.paths.set(path, kind);
  }

  private readPackageJson(header: tar.Header, stream: EntryStream, next: (err?: Error | null) => void) {
    const size = header.size ?? 0;
    if (size > PACKAGE_JSON_MAX_BYTES) {
      this.packageJsonError = `package.json is ${formatSize(size)}; it may be at most ${formatSize(PACKAGE_JSON_MAX_BYTES)}.`;
      stream.on("end", () => next());
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const parsed = parsePackageJson(Buffer.concat(chunks).toString("utf8"));
      if ("error" in parsed) this.packageJsonError = parsed.error;
      else this.packageJson = parsed.summary;
      next();
    });
  }
}

/** Normalized path of an entry: "./a//b/" → "a/b"; "./" → "". Assumes checkEntryPath passed. */
export function normalizeEntryPath(raw: string): string {
  return raw
    .split("/")
    .filter((s) => s !== "" && s !== ".")
    .join("/");
}

function checkEntryPath(raw: string): string {
  const name = quoteEntry(raw);
  if (raw.includes("\0")) {
    throw new InvalidInputError(`The archive entry ${name} has a NUL character in its name. Rename the file and re-create the archive.`);
  }
  if (raw.includes("\\")) {
    throw new InvalidInputError(
      `The archive entry ${name} has a backslash in its name. Paths must use forward slashes: create the archive with ${TAR_COMMAND} (on Windows, from WSL or Git Bash), and rename files whose names contain "\\".`,
    );
  }
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) {
    throw new InvalidInputError(
      `The archive entry ${name} has an absolute path. Entries must be relative to the function's folder: create the archive with ${TAR_COMMAND}.`,
    );
  }
  if (raw.split("/").includes("..")) {
    throw new InvalidInputError(
      `The archive entry ${name} contains "..", which would place it outside the function's folder. Create the archive from inside the folder with ${TAR_COMMAND}.`,
    );
  }
  return normalizeEntryPath(raw);
}

function entryKind(header: tar.Header, name: string): "file" | "dir" {
  switch (header.type) {
    case "file":
    case "contiguous-file":
      return "file";
    case "directory":
      return "dir";
    case "symlink":
      throw new InvalidInputError(
        `The archive entry ${name} is a symbolic link (to ${quoteEntry(header.linkname ?? "")}); links are not allowed. Replace it with the file it points to, or create the archive with ${DEREFERENCE_COMMAND}, which stores plain copies instead of links.`,
      );
    case "link":
      throw new InvalidInputError(
        `The archive entry ${name} is a hard link (to ${quoteEntry(header.linkname ?? "")}); links are not allowed. Create the archive with ${DEREFERENCE_COMMAND}, which stores plain copies instead of links.`,
      );
    case "character-device":
    case "block-device":
    case "fifo": {
      const what = header.type === "fifo" ? "a named pipe (FIFO)" : `a ${header.type.replace("-", " ")} file`;
      throw new InvalidInputError(`The archive entry ${name} is ${what}; only regular files and folders are allowed. Remove it from the folder and re-create the archive.`);
    }
    default:
      throw new InvalidInputError(
        `The archive entry ${name} has an unsupported type (${header.type ?? "unknown"}); only regular files and folders are allowed. Re-create the archive with ${TAR_COMMAND}.`,
      );
  }
}

function parsePackageJson(text: string): { summary: PackageJsonSummary } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return { error: `package.json is not valid JSON (${(err as Error).message}). Fix it and upload again.` };
  }
  if (!isRecord(data)) return { error: "package.json must hold a JSON object ({ ... }). Fix it and upload again." };
  const summary: PackageJsonSummary = {};
  if (typeof data.name === "string") summary.name = data.name;
  const scripts = stringRecord(data.scripts);
  if (scripts) summary.scripts = scripts;
  const dependencies = stringRecord(data.dependencies);
  if (dependencies) summary.dependencies = dependencies;
  return { summary };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
}

const TAR_ERRORS: Record<string, string> = {
  "Unexpected end of data": "The archive is truncated: its tar data ends in the middle of an entry.",
  "Header exceeds max size": "The archive has a damaged or oversized tar header.",
};

/** Turns zlib and tar-stream failures into messages a person can act on; keeps our own errors. */
function explainStreamError(err: unknown): unknown {
  if (err instanceof AppError || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === "string" && code.startsWith("Z_")) {
    const what = code === "Z_BUF_ERROR" ? "truncated (the gzip data ends early)" : `corrupt (${err.message})`;
    return new InvalidInputError(`The archive is ${what}. Upload the complete file again, or re-create it with ${TAR_COMMAND}.`);
  }
  const known = TAR_ERRORS[err.message];
  if (known) return new InvalidInputError(`${known} Upload the complete file again, or re-create it with ${TAR_COMMAND}.`);
  if (err.message.startsWith("Invalid tar header") || err.message === "Invalid header") {
    return new InvalidInputError(`The archive is gzip-compressed but does not hold a valid tar archive. Upload a .tar.gz created with ${TAR_COMMAND}.`);
  }
  return err;
}

const RUNTIME_FILES: Record<Runtime, string[]> = {
  dart: ["pubspec.yaml", "bin/server.dart"],
  node: ["package.json"],
  dockerfile: ["Dockerfile"],
};

/**
 * Checks that the archive has what the runtime needs at its root. Separate from the stream
 * validation because an upload's runtime is known only once all its form fields have arrived.
 */
export function checkRuntimeFiles(manifest: ArchiveManifest, runtime: Runtime): void {
  const required = RUNTIME_FILES[runtime];
  const files = new Set(manifest.files);
  const missing = required.filter((f) => !files.has(f));
  if (missing.length > 0) {
    const needs = `A ${runtime} function needs ${listOf(required)} at the root of the archive`;
    const folder = wrappingFolder(manifest.files, required);
    if (folder) {
      throw new InvalidInputError(
        `${needs}, but they are inside the folder "${folder}/" (found "${folder}/${required[0]}"). Create the archive from inside that folder: \`tar -czf function.tar.gz -C ${shellWord(folder)} .\``,
        { missing },
      );
    }
    const nearMiss = missing
      .map((m) => manifest.files.find((f) => f.toLowerCase() === m.toLowerCase()))
      .filter((f): f is string => Boolean(f));
    const caseHint = nearMiss.length ? ` Found ${listOf(nearMiss)}: file names are case-sensitive.` : "";
    throw new InvalidInputError(`The archive has no ${listOf(missing)}. ${needs}.${caseHint} Create it with ${TAR_COMMAND} from the folder that holds them.`, {
      missing,
    });
  }
  if (runtime === "node") {
    if (manifest.packageJsonError) throw new InvalidInputError(manifest.packageJsonError);
    const start = manifest.packageJson?.scripts?.start;
    if (!start || !start.trim()) {
      throw new InvalidInputError(
        'package.json has no "start" script; the node runtime starts the function with `npm start`. Add one, for example "scripts": { "start": "node server.js" }, and upload again.',
      );
    }
  }
}

/** The top-level folder that holds all the runtime's files, when the archive was made one level too high. */
function wrappingFolder(files: string[], required: string[]): string | undefined {
  const tops = new Set(files.filter((f) => f.includes("/")).map((f) => f.slice(0, f.indexOf("/"))));
  const all = new Set(files);
  for (const top of tops) {
    if (required.every((r) => all.has(`${top}/${r}`))) return top;
  }
  return undefined;
}

function listOf(items: string[]): string {
  const quoted = items.map((i) => `"${i}"`);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
