import busboy from "busboy";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { multipartBody } from "./multipart.mjs";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dart-cloud-multipart-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Parses a body the way the server does (busboy). */
function parse(contentType: string, body: Buffer): Promise<{ fields: Record<string, string>; files: { field: string; filename: string; mimeType: string; data: Buffer }[] }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: { field: string; filename: string; mimeType: string; data: Buffer }[] = [];
    const bb = busboy({ headers: { "content-type": contentType } });
    bb.on("field", (name: string, value: string) => (fields[name] = value));
    bb.on("file", (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => files.push({ field, filename: info.filename ?? "", mimeType: info.mimeType, data: Buffer.concat(chunks) }));
    });
    bb.on("close", () => resolve({ fields, files }));
    bb.on("error", reject);
    Readable.from([body]).pipe(bb);
  });
}

describe("the multipart upload body", () => {
  it("carries the fields and the file, has the announced length and reports progress", async () => {
    const content = Buffer.alloc(200_000, 7);
    const file = path.join(dir, "function.tar.gz");
    await writeFile(file, content);
    const progress: number[] = [];
    const body = multipartBody(
      { name: "hello", runtime: "node" },
      { field: "archive", filename: "function.tar.gz", contentType: "application/gzip", path: file, size: content.length },
      (sent) => progress.push(sent),
    );
    const chunks: Uint8Array[] = [];
    for await (const chunk of body.stream()) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(body.length);
    const parsed = await parse(body.contentType, bytes);
    expect(parsed.fields).toEqual({ name: "hello", runtime: "node" });
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]).toMatchObject({ field: "archive", filename: "function.tar.gz", mimeType: "application/gzip" });
    expect(parsed.files[0].data.equals(content)).toBe(true);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(content.length);
    expect(progress.length).toBeGreaterThan(2);
  });

  it("fails when the file changes size while it is sent", async () => {
    const file = path.join(dir, "f.tar.gz");
    await writeFile(file, "short");
    const body = multipartBody({}, { field: "archive", filename: "f.tar.gz", contentType: "application/gzip", path: file, size: 100 });
    await expect(async () => {
      for await (const _ of body.stream()) void _;
    }).rejects.toThrow(/changed while it was being uploaded/);
  });
});
