import "server-only";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
// A dependency of dockerode, written to Docker's own matching rules (see the report on adding
// it to package.json directly).
import dockerignore from "@balena/dockerignore";
import tar, { type Extract, type Header, type Pack } from "tar-stream";

type Entry = Extract extends AsyncIterable<infer E> ? E : never;

export type BuildContextOptions = {
  /** The uploaded, already validated `.tar.gz`. */
  archivePath: string;
  /** A file to add at the context root (the generated Dockerfile); it replaces an archive file of that name. */
  extraFile?: { name: string; content: string };
  /**
   * Make every file readable and every folder enterable by all users: the generated images
   * run as non-root, and COPY keeps the archive's modes with root as the owner.
   */
  readableByAll?: boolean;
  /** Whether the archive has a root `.dockerignore` (known from its manifest); unknown: look. */
  hasDockerignore?: boolean;
};

const DOCKERIGNORE = ".dockerignore";
const DOCKERIGNORE_MAX_BYTES = 256 * 1024;
const COPIED_TYPES = new Set(["file", "contiguous-file", "directory", "symlink", "link"]);

/** An archive path as the context uses it: no "./" or "/" in front, no "/" at the end. */
export function contextPath(name: string): string {
  let n = name;
  while (n.startsWith("./")) n = n.slice(2);
  n = n.replace(/^\/+/, "").replace(/\/+$/, "");
  return n === "." ? "" : n;
}

/**
 * The build context for the Docker API: the uploaded archive re-streamed as a plain tar
 * (gunzip → extract → pack), names normalized, `.dockerignore` applied (the engine only
 * applies it when the docker CLI sends the context, not through the API) and the extra file
 * added. Nothing is written to disk. Errors reading the archive destroy the returned stream.
 */
export function createBuildContext(options: BuildContextOptions): Readable {
  const pack = tar.pack();
  fillContext(pack, options).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  // A Node readable over tar-stream's (streamx) one: what dockerode and Node's pipe expect.
  return Readable.from(pack, { objectMode: false });
}

async function fillContext(pack: Pack, options: BuildContextOptions): Promise<void> {
  const ignored = options.hasDockerignore === false ? () => false : await ignoreRules(options.archivePath);
  const extraName = options.extraFile?.name;
  // The Dockerfile and .dockerignore always reach the engine, as with the docker CLI.
  const alwaysKept = new Set([DOCKERIGNORE, "Dockerfile", extraName]);

  const extract = tar.extract();
  const reading = pipeline(createReadStream(options.archivePath), createGunzip(), extract);
  reading.catch(() => {}); // the same error also ends the loop below, which reports it
  for await (const entry of extract) {
    const header = entry.header;
    const name = contextPath(header.name);
    const skip =
      name === "" || !COPIED_TYPES.has(header.type ?? "file") || name === extraName || (ignored(name) && !alwaysKept.has(name));
    if (skip || pack.destroyed) {
      entry.resume();
      continue;
    }
    await addEntry(pack, entry, {
      name,
      type: header.type,
      size: header.type === "file" || header.type === "contiguous-file" ? header.size : 0,
      mode: contextMode(header.mode, header.type, options.readableByAll),
      mtime: header.mtime,
      // Hard links name another archive entry, so they follow the same normalization.
      linkname: header.type === "link" ? contextPath(header.linkname ?? "") : (header.linkname ?? undefined),
      uid: 0,
      gid: 0,
    });
  }
  await reading;
  if (options.extraFile) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: options.extraFile!.name, mode: 0o644, mtime: new Date() }, options.extraFile!.content, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
}

function addEntry(pack: Pack, entry: Entry, header: Partial<Header> & Pick<Header, "name">): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    if (header.type === "file" || header.type === "contiguous-file") entry.pipe(sink);
    else entry.resume();
  });
}

function contextMode(mode: number | undefined, type: string | null | undefined, readableByAll: boolean | undefined): number {
  const isDirectory = type === "directory";
  const base = mode ?? (isDirectory ? 0o755 : 0o644);
  if (!readableByAll) return base;
  if (isDirectory) return base | 0o555;
  // Executables stay executable for everyone; everything else just becomes readable.
  return base & 0o111 ? base | 0o555 : base | 0o444;
}

/** The archive's `.dockerignore` as a predicate ("is this path left out?"); none: nothing is. */
async function ignoreRules(archivePath: string): Promise<(path: string) => boolean> {
  const text = await readRootFile(archivePath, DOCKERIGNORE, DOCKERIGNORE_MAX_BYTES);
  if (text === null) return () => false;
  const rules = dockerignore({ ignorecase: false }).add(text.split(/\r?\n/));
  return (path) => rules.ignores(path);
}

/** One root-level file of the archive as text, or null when it has none. Stops reading once found. */
async function readRootFile(archivePath: string, wanted: string, maxBytes: number): Promise<string | null> {
  const extract = tar.extract();
  const reading = pipeline(createReadStream(archivePath), createGunzip(), extract);
  reading.catch(() => {});
  for await (const entry of extract) {
    if (contextPath(entry.header.name) !== wanted || entry.header.type !== "file") {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new Error(`${wanted} is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
    extract.destroy();
    return Buffer.concat(chunks).toString("utf8");
  }
  await reading;
  return null;
}
