import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UnavailableError, NotFoundError } from "../errors";
import { startEmbeddedS3 } from "./embedded";
import { archiveKey, functionPrefix } from "./keys";
import {
  archiveInfo,
  deleteArchive,
  deletePrefix,
  downloadArchive,
  listKeys,
  openArchive,
  putArchive,
  resetS3Client,
  setS3Endpoint,
  storageHealth,
} from "./s3";

// Talks to the real s3rver started by test/s3-setup.ts (S3_ENDPOINT, bucket dart-cloud-test).

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "storage-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => resetS3Client());

async function archiveFile(bytes: number): Promise<{ file: string; data: Buffer; sha256: string }> {
  const data = randomBytes(bytes);
  const file = path.join(dir, `${randomUUID()}.tar.gz`);
  await writeFile(file, data);
  return { file, data, sha256: createHash("sha256").update(data).digest("hex") };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function keysUnder(prefix: string) {
  const found: { key: string; size: number }[] = [];
  for await (const entry of listKeys(prefix)) found.push(entry);
  return found.sort((a, b) => a.key.localeCompare(b.key));
}

describe("archive storage on a real S3 server", () => {
  it("stores an archive with one PutObject and reads back the same bytes", async () => {
    const functionId = randomUUID();
    const key = archiveKey(functionId, 1);
    const { file, data, sha256 } = await archiveFile(1024 * 1024 + 17);

    await putArchive(key, file, { size: data.length, sha256 });

    expect(await archiveInfo(key)).toEqual({ size: data.length, sha256 });
    const back = await readAll(await openArchive(key));
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);

    const copy = path.join(dir, "copy.tar.gz");
    await downloadArchive(key, copy);
    expect((await readFile(copy)).equals(data)).toBe(true);
  });

  it("stores an empty file", async () => {
    const key = archiveKey(randomUUID(), 1);
    const { file, sha256 } = await archiveFile(0);
    await putArchive(key, file, { size: 0, sha256 });
    expect(await archiveInfo(key)).toEqual({ size: 0, sha256 });
    expect((await readAll(await openArchive(key))).length).toBe(0);
  });

  it("refuses to upload when the file is not the size the caller measured", async () => {
    const key = archiveKey(randomUUID(), 1);
    const { file, data, sha256 } = await archiveFile(100);
    await expect(putArchive(key, file, { size: data.length + 1, sha256 })).rejects.toThrow(/100 bytes, expected 101/);
    expect(await archiveInfo(key)).toBeNull();
  });

  it("reports a missing archive as absent or not found", async () => {
    const key = archiveKey(randomUUID(), 7);
    expect(await archiveInfo(key)).toBeNull();
    await expect(openArchive(key)).rejects.toBeInstanceOf(NotFoundError);
    const dest = path.join(dir, "missing.tar.gz");
    await expect(downloadArchive(key, dest)).rejects.toBeInstanceOf(NotFoundError);
    await expect(stat(dest)).rejects.toThrow(/ENOENT/);
  });

  it("lists a function's archives and deletes them one by one or by prefix", async () => {
    const functionId = randomUUID();
    const other = randomUUID();
    const { file, data, sha256 } = await archiveFile(2048);
    for (const version of [1, 2, 3]) {
      await putArchive(archiveKey(functionId, version), file, { size: data.length, sha256 });
    }
    await putArchive(archiveKey(other, 1), file, { size: data.length, sha256 });

    expect(await keysUnder(functionPrefix(functionId))).toEqual([1, 2, 3].map((v) => ({ key: archiveKey(functionId, v), size: 2048 })));

    await deleteArchive(archiveKey(functionId, 2));
    expect((await keysUnder(functionPrefix(functionId))).map((e) => e.key)).toEqual([
      archiveKey(functionId, 1),
      archiveKey(functionId, 3),
    ]);

    expect(await deletePrefix(functionPrefix(functionId))).toBe(2);
    expect(await keysUnder(functionPrefix(functionId))).toEqual([]);
    // Another function's archive is untouched.
    expect(await archiveInfo(archiveKey(other, 1))).toEqual({ size: 2048, sha256 });
  });

  it("treats deleting what is already gone as success", async () => {
    const functionId = randomUUID();
    await expect(deleteArchive(archiveKey(functionId, 1))).resolves.toBeUndefined();
    await expect(deletePrefix(functionPrefix(functionId))).resolves.toBe(0);
  });

  it("refuses to delete with an empty prefix", async () => {
    await expect(deletePrefix("")).rejects.toThrow(/non-empty prefix/);
  });

  it("reports healthy storage", async () => {
    expect(await storageHealth()).toEqual({ ok: true });
  });
});

describe("a stopped S3 server", () => {
  it("fails fast with UnavailableError naming storage and the endpoint", async () => {
    const serverDir = await mkdtemp(path.join(dir, "stopped-"));
    const server = await startEmbeddedS3({ directory: serverDir, port: 0, buckets: ["dart-cloud-test"] });
    await server.close();
    setS3Endpoint(server.endpoint);

    const { file, data, sha256 } = await archiveFile(10);
    const key = archiveKey(randomUUID(), 1);
    const started = Date.now();
    for (const attempt of [
      () => putArchive(key, file, { size: data.length, sha256 }),
      () => archiveInfo(key),
      () => openArchive(key),
      () => deleteArchive(key),
      () => deletePrefix("functions/"),
    ]) {
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UnavailableError);
      expect((err as UnavailableError).dependency).toBe("storage");
      expect((err as Error).message).toContain(`S3 storage is unreachable at ${server.endpoint}`);
      expect((err as Error).message).toMatch(/ECONNREFUSED/);
    }
    expect(Date.now() - started).toBeLessThan(5_000);

    const health = await storageHealth();
    expect(health.ok).toBe(false);
    expect(!health.ok && health.error).toContain("unreachable");
  });
});

describe("an S3 server that goes away mid-download", () => {
  it('fails the open archive stream with UnavailableError("storage")', async () => {
    const serverDir = await mkdtemp(path.join(dir, "dying-"));
    const server = await startEmbeddedS3({ directory: serverDir, port: 0, buckets: ["dart-cloud-test"] });
    try {
      setS3Endpoint(server.endpoint);
      const { file, data, sha256 } = await archiveFile(24 * 1024 * 1024);
      const key = archiveKey(randomUUID(), 1);
      await putArchive(key, file, { size: data.length, sha256 });

      const stream = await openArchive(key);
      const failure = new Promise<unknown>((resolve) => stream.once("error", resolve));
      stream.once("data", () => {
        stream.pause();
        void server.close();
      });
      const err = await failure;
      expect(err).toBeInstanceOf(UnavailableError);
      expect((err as UnavailableError).dependency).toBe("storage");
    } finally {
      await server.close();
    }
  });
});
