import { mkdir, mkdtemp, rm, symlink, writeFile, chmod } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packDirectory } from "./pack.mjs";

type Unpacked = { name: string; type: string; mode: number; content: string };

async function unpack(file: string): Promise<Unpacked[]> {
  const extract = tar.extract();
  createReadStream(file).pipe(createGunzip()).pipe(extract);
  const out: Unpacked[] = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    out.push({ name: entry.header.name, type: entry.header.type ?? "", mode: entry.header.mode ?? 0, content: Buffer.concat(chunks).toString("utf8") });
  }
  return out;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dart-cloud-pack-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content = rel) {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

describe("packDirectory", () => {
  it("writes a .tar.gz whose entries sit at the archive root, with their contents", async () => {
    await put("package.json", '{"name":"hello","scripts":{"start":"node server.js"}}');
    await put("server.js", "console.log('hi')");
    await put("lib/util.js", "export const x = 1;");
    const packed = await packDirectory(dir, { runtime: "node" });
    try {
      const entries = await unpack(packed.path);
      expect(entries.map((e) => e.name)).toEqual(["lib", "lib/util.js", "package.json", "server.js"]);
      expect(entries.find((e) => e.name === "server.js")?.content).toBe("console.log('hi')");
      expect(entries.find((e) => e.name === "lib")?.type).toBe("directory");
      expect(entries.every((e) => !e.name.startsWith("./") && !e.name.startsWith("/"))).toBe(true);
      expect(packed.fileCount).toBe(3);
      expect(packed.files).toEqual(["lib/util.js", "package.json", "server.js"]);
      expect(packed.size).toBeGreaterThan(0);
    } finally {
      await packed.cleanup();
    }
  });

  it("leaves out .git, node_modules and what .dartcloudignore lists", async () => {
    await put("package.json", "{}");
    await put(".git/HEAD", "ref");
    await put("node_modules/x/index.js");
    await put("sub/node_modules/y/index.js");
    await put("secret.env");
    await put("logs/a.log");
    await put("keep.log");
    await put(".dartcloudignore", "*.env\nlogs/\n*.log\n!keep.log\n");
    const packed = await packDirectory(dir, { runtime: "node" });
    try {
      expect((await unpack(packed.path)).map((e) => e.name)).toEqual([".dartcloudignore", "keep.log", "package.json", "sub"]);
    } finally {
      await packed.cleanup();
    }
  });

  it("skips symlinks with a warning instead of following them", async () => {
    await put("package.json", "{}");
    await put("real.txt", "data");
    await symlink(path.join(dir, "real.txt"), path.join(dir, "link.txt"));
    await symlink("/etc", path.join(dir, "etc-link"));
    const packed = await packDirectory(dir, { runtime: "node" });
    try {
      expect((await unpack(packed.path)).map((e) => e.name)).toEqual(["package.json", "real.txt"]);
      expect(packed.warnings).toHaveLength(2);
      expect(packed.warnings.join("\n")).toMatch(/Skipped symlink etc-link/);
      expect(packed.warnings.join("\n")).toMatch(/Skipped symlink link\.txt/);
    } finally {
      await packed.cleanup();
    }
  });

  it("keeps the executable bit and normalizes other permissions", async () => {
    await put("run.sh", "#!/bin/sh\n");
    await put("data.txt", "x");
    await chmod(path.join(dir, "run.sh"), 0o700);
    await chmod(path.join(dir, "data.txt"), 0o600);
    const packed = await packDirectory(dir);
    try {
      const entries = await unpack(packed.path);
      expect(entries.find((e) => e.name === "run.sh")?.mode).toBe(0o755);
      expect(entries.find((e) => e.name === "data.txt")?.mode).toBe(0o644);
    } finally {
      await packed.cleanup();
    }
  });

  it("removes its temp archive on cleanup", async () => {
    await put("Dockerfile", "FROM scratch\n");
    const packed = await packDirectory(dir, { runtime: "dockerfile" });
    await packed.cleanup();
    await expect(createReadStreamOpens(packed.path)).resolves.toBe(false);
  });
});

function createReadStreamOpens(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createReadStream(file);
    s.on("open", () => {
      s.close();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}
