// The build context is the uploaded archive re-streamed; read what comes out as Docker would.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextPath, createBuildContext } from "./build-context";

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), "dartcloud-context-test-"));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

type Entry = { name: string; type?: "file" | "directory" | "symlink" | "link"; content?: string; mode?: number; linkname?: string };

async function writeArchive(name: string, entries: Entry[]): Promise<string> {
  const file = path.join(workDir, name);
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), createWriteStream(file));
  for (const e of entries) {
    if (e.content !== undefined) pack.entry({ name: e.name, mode: e.mode ?? 0o644 }, e.content);
    else pack.entry({ name: e.name, type: e.type, mode: e.mode, linkname: e.linkname });
  }
  pack.finalize();
  await written;
  return file;
}

type ContextEntry = { type: string; mode: number; content: string; linkname?: string };

async function readContext(context: Readable): Promise<Map<string, ContextEntry>> {
  const entries = new Map<string, ContextEntry>();
  const extract = tar.extract();
  const reading = pipeline(context, extract);
  reading.catch(() => {}); // the same error ends the loop below
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    const { name, type, mode, linkname } = entry.header;
    entries.set(name, { type, mode, content: Buffer.concat(chunks).toString(), ...(linkname ? { linkname } : {}) });
  }
  await reading;
  return entries;
}

describe("contextPath", () => {
  it("strips ./ and / prefixes and trailing slashes", () => {
    expect(contextPath("./server.js")).toBe("server.js");
    expect(contextPath("././lib/a.js")).toBe("lib/a.js");
    expect(contextPath("lib/")).toBe("lib");
    expect(contextPath("./")).toBe("");
    expect(contextPath(".")).toBe("");
  });
});

describe("createBuildContext", () => {
  it("re-packs the archive with normalized names, applies .dockerignore and adds the Dockerfile", async () => {
    const archivePath = await writeArchive("app.tar.gz", [
      { name: "./", type: "directory", mode: 0o755 },
      { name: "./server.js", content: "server" },
      { name: "./lib/", type: "directory", mode: 0o700 },
      { name: "./lib/a.js", content: "a", mode: 0o600 },
      { name: "./run.sh", content: "#!/bin/sh", mode: 0o700 },
      { name: "./same.js", type: "link", linkname: "./server.js" },
      { name: "./current", type: "symlink", linkname: "lib" },
      { name: "./logs/", type: "directory" },
      { name: "./logs/keep.log", content: "kept" },
      { name: "./logs/debug.log", content: "dropped" },
      { name: "./Dockerfile.dartcloud", content: "FROM evil" },
      { name: "./.dockerignore", content: "logs/*.log\n!logs/keep.log\n.dockerignore\n" },
    ]);

    const entries = await readContext(
      createBuildContext({ archivePath, extraFile: { name: "Dockerfile.dartcloud", content: "FROM ours\n" }, readableByAll: true }),
    );

    expect([...entries.keys()].sort()).toEqual(
      [".dockerignore", "Dockerfile.dartcloud", "current", "lib", "lib/a.js", "logs", "logs/keep.log", "run.sh", "same.js", "server.js"].sort(),
    );
    expect(entries.get("server.js")).toMatchObject({ type: "file", content: "server" });
    expect(entries.get("same.js")).toMatchObject({ type: "link", linkname: "server.js" });
    expect(entries.get("current")).toMatchObject({ type: "symlink", linkname: "lib" });
    // The archive's own Dockerfile.dartcloud is replaced, never used.
    expect(entries.get("Dockerfile.dartcloud")?.content).toBe("FROM ours\n");
    // Readable by the non-root user the image runs as; executables stay executable.
    expect(entries.get("lib")?.mode).toBe(0o755);
    expect(entries.get("lib/a.js")?.mode).toBe(0o644);
    expect(entries.get("run.sh")?.mode).toBe(0o755);
  });

  it("keeps the archive's modes when not asked to open them up, and keeps its Dockerfile even if ignored", async () => {
    const archivePath = await writeArchive("own.tar.gz", [
      { name: "Dockerfile", content: "FROM x" },
      { name: "secret.key", content: "k", mode: 0o600 },
      { name: ".dockerignore", content: "Dockerfile\n" },
    ]);
    const entries = await readContext(createBuildContext({ archivePath }));
    expect(entries.get("Dockerfile")?.content).toBe("FROM x");
    expect(entries.get("secret.key")?.mode).toBe(0o600);
  });

  it("fails the stream when the archive is not readable gzip", async () => {
    const archivePath = path.join(workDir, "broken.tar.gz");
    await writeFile(archivePath, "this is not gzip");
    await expect(readContext(createBuildContext({ archivePath, hasDockerignore: false }))).rejects.toThrow();
  });
});
