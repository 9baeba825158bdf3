import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError, PayloadTooLargeError } from "../errors";
import { makeTarGz, runtimeFixtures } from "./archive-fixtures";
import { receiveArchiveFile, receiveUpload, type ReceivedUpload } from "./receive-upload";

// Each test file runs in its own process: pointing TMPDIR at a private folder lets the tests
// see every temp file the receiver creates, and prove that rejections leave none behind.
let uploadsDir: string;
const originalTmp = process.env.TMPDIR;
beforeAll(() => {
  uploadsDir = mkdtempSync(path.join(tmpdir(), "receive-upload-test-"));
  process.env.TMPDIR = uploadsDir;
});
afterAll(() => {
  process.env.TMPDIR = originalTmp;
  rmSync(uploadsDir, { recursive: true, force: true });
});
afterEach(() => {
  expect(readdirSync(uploadsDir)).toEqual([]);
});

const URL_ = "http://127.0.0.1/api/functions/deploy";

function formRequest(parts: Array<[string, string | Blob, string?]>): Request {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, filename);
  }
  return new Request(URL_, { method: "POST", body: form });
}

/** A multipart request whose body is sent chunk by chunk, then ends or fails as told. */
function streamedRequest(chunks: Uint8Array[], end: "close" | Error, headers: Record<string, string> = {}, sent = { chunks: 0 }): Request {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent.chunks < chunks.length) return controller.enqueue(chunks[sent.chunks++]);
      if (end === "close") controller.close();
      else controller.error(end);
    },
  });
  return new Request(URL_, {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    duplex: "half",
  } as RequestInit);
}

const BOUNDARY = "----dart-cloud-test-boundary";
const enc = new TextEncoder();
const archivePartHead = enc.encode(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="archive"; filename="fn.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n`,
);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    const value = (await promise) as ReceivedUpload | undefined;
    await value?.archive?.cleanup();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection, but it resolved");
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("receiveUpload", () => {
  it("streams the archive to a private temp file, hashes it, validates it and keeps the text fields", async () => {
    const gz = await makeTarGz(runtimeFixtures.node());
    const upload = await receiveUpload(
      formRequest([
        ["name", "hello"],
        ["archive", new Blob([gz]), "my-fn.tar.gz"],
        ["runtime", "node"], // after the file: still collected
      ]),
    );
    const archive = upload.archive!;
    expect(upload.fields).toEqual({ name: "hello", runtime: "node" });
    expect(archive.size).toBe(gz.length);
    expect(archive.sha256).toBe(sha256(gz));
    expect(archive.filename).toBe("my-fn.tar.gz");
    expect(archive.manifest.files).toEqual(["package.json", "server.js"]);
    expect(archive.manifest.packageJson?.scripts?.start).toBe("node server.js");
    expect(path.dirname(path.dirname(archive.path))).toBe(uploadsDir);
    expect(readFileSync(archive.path).equals(gz)).toBe(true);
    expect(statSync(archive.path).mode & 0o777).toBe(0o600);

    await archive.cleanup();
    expect(existsSync(archive.path)).toBe(false);
    expect(existsSync(path.dirname(archive.path))).toBe(false);
    await archive.cleanup(); // idempotent
  });

  it("without an archive field, returns the fields and archive: null", async () => {
    const upload = await receiveUpload(formRequest([["name", "hello"]]));
    expect(upload).toEqual({ fields: { name: "hello" }, archive: null });
  });

  it("handles an archive larger than the stream buffers", async () => {
    const gz = await makeTarGz([...runtimeFixtures.dart(), { name: "./assets/blob.bin", body: randomBytes(3 * 1024 * 1024) }]);
    const upload = await receiveUpload(formRequest([["archive", new Blob([gz]), "big.tar.gz"]]));
    expect(upload.archive!.sha256).toBe(sha256(gz));
    expect(upload.archive!.size).toBe(gz.length);
    await upload.archive!.cleanup();
  });

  it("rejects a body that is not multipart/form-data", async () => {
    const err = await rejection(
      receiveUpload(new Request(URL_, { method: "POST", body: JSON.stringify({ name: "x" }), headers: { "content-type": "application/json" } })),
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      'Send the upload as multipart/form-data with the archive in a file field named "archive" (for example `curl -F archive=@function.tar.gz ...`), not as "application/json".',
    );
  });

  it("rejects multipart without a boundary", async () => {
    const err = await rejection(receiveUpload(new Request(URL_, { method: "POST", body: "x", headers: { "content-type": "multipart/form-data" } })));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The multipart\/form-data request is malformed \(.+\)\. Let your HTTP client build the form/);
  });

  it("rejects a second archive file and removes the first one's temp file", async () => {
    const gz = await makeTarGz(runtimeFixtures.node());
    const err = await rejection(
      receiveUpload(
        formRequest([
          ["archive", new Blob([gz]), "a.tar.gz"],
          ["archive", new Blob([gz]), "b.tar.gz"],
        ]),
      ),
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe('The upload has more than one "archive" file. Send exactly one .tar.gz archive per deployment.');
  });

  it("rejects an invalid archive with the validator's message", async () => {
    const gz = await makeTarGz([...runtimeFixtures.node(), { name: "./link", type: "symlink", linkname: "/etc/passwd" }]);
    const err = await rejection(receiveUpload(formRequest([["name", "x"], ["archive", new Blob([gz]), "a.tar.gz"]])));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "\.\/link" is a symbolic link/);
  });

  it("rejects a file that is not gzip", async () => {
    const err = await rejection(receiveUpload(formRequest([["archive", new Blob(["PK\x03\x04 a zip"]), "a.zip"]])));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is not gzip-compressed\./);
  });

  it("fails fast on a bad entry at the start of a large upload, before the client has sent it all", async () => {
    const gz = await makeTarGz([{ name: "/etc/evil", body: "x" }, { name: "filler.bin", body: randomBytes(4 * 1024 * 1024) }]);
    const chunks = [archivePartHead];
    for (let at = 0; at < gz.length; at += 64 * 1024) chunks.push(gz.subarray(at, at + 64 * 1024));
    chunks.push(enc.encode(`\r\n--${BOUNDARY}--\r\n`));
    const sent = { chunks: 0 };
    const err = await rejection(receiveUpload(streamedRequest(chunks, "close", {}, sent)));
    expect(sent.chunks).toBeLessThan(chunks.length / 4);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "\/etc\/evil" has an absolute path\./);
  });

  it("enforces the hard size limit while streaming", async () => {
    const gz = await makeTarGz([{ name: "noise.bin", body: randomBytes(8 * 1024) }]);
    const err = await rejection(receiveUpload(formRequest([["archive", new Blob([gz]), "a.tar.gz"]]), { maxBytes: 4 * 1024 }));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toMatch(/^The archive is more than 4 KB; the limit is 4 KB\. Leave out dependencies/);
  });

  it("rejects by Content-Length before reading a too large body", async () => {
    const err = await rejection(receiveUpload(streamedRequest([archivePartHead], "close", { "content-length": String(5 * 1024 * 1024) }), { maxBytes: 1024 * 1024 }));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toMatch(/^The archive is 5 MB; the limit is 1 MB\./);
  });

  it("rejects a client that stops mid-upload, without hanging", async () => {
    const gz = await makeTarGz([{ name: "noise.bin", body: randomBytes(256 * 1024) }]);
    const err = await rejection(receiveUpload(streamedRequest([archivePartHead, gz.subarray(0, 64 * 1024)], new Error("socket hang up"))));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe("The upload was interrupted before it was complete (socket hang up). Send it again.");
  });

  it("rejects a multipart body that ends in the middle of the archive", async () => {
    const gz = await makeTarGz([{ name: "noise.bin", body: randomBytes(256 * 1024) }]);
    const err = await rejection(receiveUpload(streamedRequest([archivePartHead, gz.subarray(0, 64 * 1024)], "close")));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/Send it again\.$/);
  });

  it("rejects an over-long text field", async () => {
    const err = await rejection(receiveUpload(formRequest([["name", "x".repeat(10_000)]])));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe('The form field "name" is too long; text fields may be at most 4 KB.');
  });

  it("rejects an archive sent as a text field", async () => {
    const err = await rejection(receiveUpload(formRequest([["archive", "not a file"]])));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The "archive" field must be a file upload, not text\./);
  });

  it("rejects an unexpected file field", async () => {
    const gz = await makeTarGz(runtimeFixtures.node());
    const err = await rejection(receiveUpload(formRequest([["code", new Blob([gz]), "a.tar.gz"]])));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe('Unexpected file field "code". Send the archive in a file field named "archive".');
  });
});

describe("receiveArchiveFile", () => {
  it("takes a File's web stream, as a server action has it", async () => {
    const gz = await makeTarGz(runtimeFixtures.dockerfile());
    const file = new File([gz], "fn.tar.gz");
    const archive = await receiveArchiveFile(file.stream(), { filename: file.name, declaredSize: file.size });
    expect(archive.sha256).toBe(sha256(gz));
    expect(archive.manifest.files).toEqual(["Dockerfile"]);
    expect(existsSync(archive.path)).toBe(true);
    await archive.cleanup();
    expect(existsSync(path.dirname(archive.path))).toBe(false);
  });

  it("rejects a source that closes mid-stream, and removes the temp file", async () => {
    const gz = await makeTarGz([{ name: "noise.bin", body: randomBytes(512 * 1024) }]);
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent < 4) this.push(gz.subarray(sent * 16 * 1024, ++sent * 16 * 1024));
        else this.destroy();
      },
    });
    const err = await rejection(receiveArchiveFile(source));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe("The upload was interrupted before it was complete (Premature close). Send it again.");
  });

  it("rejects a declared size over the limit without creating anything", async () => {
    const file = new File([Buffer.alloc(3 * 1024 * 1024 + 200 * 1024)], "fn.tar.gz");
    const err = await rejection(receiveArchiveFile(file.stream(), { declaredSize: file.size, maxBytes: 2 * 1024 * 1024 }));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toMatch(/^The archive is 3\.2 MB; the limit is 2 MB\./);
  });
});
