import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// With S3_ENDPOINT unset the app runs its own s3rver under DATA_DIR/s3. config.ts reads the
// environment when it is imported, so this file re-imports the storage modules with the
// test S3 settings removed.

const saved = { ...process.env };
let dataDir: string;
let storage: typeof import("./index");

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "embedded-s3-"));
  delete process.env.S3_ENDPOINT;
  process.env.S3_BUCKET = "dart-cloud-embedded";
  process.env.DATA_DIR = dataDir;
  process.env.EMBEDDED_S3_PORT = "0";
  vi.resetModules();
  storage = await import("./index");
  storage.resetS3Client();
});

afterAll(async () => {
  await storage.stopEmbeddedStorage();
  storage.resetS3Client();
  process.env = saved;
  await rm(dataDir, { recursive: true, force: true });
});

describe("embedded S3 server", () => {
  it("starts once on 127.0.0.1 with its data under DATA_DIR/s3 and creates the bucket", async () => {
    await Promise.all([storage.ensureStorage(), storage.ensureStorage()]);
    const endpoint = storage.s3Endpoint();
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await storage.ensureStorage();
    expect(storage.s3Endpoint()).toBe(endpoint);
    expect(await storage.storageHealth()).toEqual({ ok: true });
    expect(await readdir(path.join(dataDir, "s3"))).toContain("dart-cloud-embedded");
  });

  it("serves archives through the same client API", async () => {
    const data = Buffer.from("not really a tarball, but bytes are bytes");
    const file = path.join(dataDir, "a.tar.gz");
    await writeFile(file, data);
    const sha256 = createHash("sha256").update(data).digest("hex");
    const key = storage.archiveKey(randomUUID(), 1);
    await storage.putArchive(key, file, { size: data.length, sha256 });
    expect(await storage.archiveInfo(key)).toEqual({ size: data.length, sha256 });
  });

  it("ensureBucket is idempotent, also when two callers race to create it", async () => {
    const server = await storage.startEmbeddedS3({ directory: path.join(dataDir, "race"), port: 0 });
    try {
      storage.setS3Endpoint(server.endpoint);
      await Promise.all([storage.ensureBucket(), storage.ensureBucket(), storage.ensureBucket()]);
      await storage.ensureBucket();
      expect(await readdir(path.join(dataDir, "race"))).toEqual(["dart-cloud-embedded"]);
    } finally {
      storage.setS3Endpoint(undefined);
      await server.close();
    }
  });

  it("starts again after being stopped", async () => {
    await storage.stopEmbeddedStorage();
    expect(storage.s3Endpoint()).toBeUndefined();
    await storage.ensureStorage();
    expect(await storage.storageHealth()).toEqual({ ok: true });
  });
});
