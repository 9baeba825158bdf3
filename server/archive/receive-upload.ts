import "server-only";
import busboy from "busboy";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { config } from "../config";
import { AppError, InvalidInputError, PayloadTooLargeError } from "../errors";
import { formatSize, formatSizeOver } from "./format";
import { validateArchiveStream, type ArchiveLimits, type ArchiveManifest } from "./validate-archive";

export type ReceivedArchive = {
  /** A 0600 temp file; gone after cleanup(). */
  path: string;
  size: number;
  /** Hex sha256 of the archive bytes. */
  sha256: string;
  filename: string;
  manifest: ArchiveManifest;
  /** Removes the temp file and its folder; safe to call more than once. */
  cleanup(): Promise<void>;
};

export type ReceivedUpload = {
  fields: Record<string, string>;
  archive: ReceivedArchive | null;
};

export type ReceiveArchiveOptions = {
  /** Hard limit on the compressed archive; default config.limits.archiveMaxBytes. */
  maxBytes?: number;
  /** Name to report back (e.g. the uploaded file's name); default "function.tar.gz". */
  filename?: string;
  /** The size, when known up front (a File's size): over the limit fails before reading a byte. */
  declaredSize?: number;
  limits?: Partial<ArchiveLimits>;
};

export const ARCHIVE_FIELD = "archive";
const FIELD_MAX_BYTES = 4 * 1024;
const MAX_FIELDS = 20;
// Multipart framing and the small text fields around the archive, for judging Content-Length.
const MULTIPART_SLACK_BYTES = MAX_FIELDS * FIELD_MAX_BYTES + 64 * 1024;

/**
 * Streams one archive to a fresh temp file while hashing it, counting it against a hard limit
 * and validating it (the bytes go to the validator as they arrive, so a bad archive fails
 * mid-upload). On any failure the temp folder is removed before the promise rejects.
 * For a server action: `receiveArchiveFile(file.stream(), { filename: file.name, declaredSize: file.size })`.
 */
export async function receiveArchiveFile(
  input: Readable | ReadableStream<Uint8Array>,
  opts: ReceiveArchiveOptions = {},
): Promise<ReceivedArchive> {
  const source = input instanceof Readable ? input : Readable.fromWeb(input as NodeReadableStream<Uint8Array>);
  // Remembered to tell a client that stopped sending from our own faults; the listener also keeps
  // a source destroyed after we are done with it from crashing the process with an unhandled 'error'.
  let sourceError: unknown;
  source.on("error", (err) => (sourceError ??= err));
  const maxBytes = opts.maxBytes ?? config.limits.archiveMaxBytes;
  if (opts.declaredSize !== undefined && opts.declaredSize > maxBytes) {
    source.destroy();
    throw tooLarge(opts.declaredSize, maxBytes);
  }

  const dir = await mkdtemp(path.join(tmpdir(), "dart-cloud-upload-"));
  const file = path.join(dir, "function.tar.gz");
  const cleanup = once(() => rm(dir, { recursive: true, force: true }));
  try {
    // pipeline() never settles for a source destroyed before it starts (e.g. the request
    // failed while the temp folder was being made), so that case is caught here.
    if (source.destroyed) throw interrupted(sourceError ?? new Error("the upload stream was closed"));
    const validatorInput = new PassThrough();
    const validation = validateArchiveStream(validatorInput, opts.limits);
    const tee = new UploadTee(maxBytes, validatorInput);
    // A bad archive stops the upload at once instead of after the last byte.
    validation.catch((err) => tee.destroy(err instanceof Error ? err : new Error(String(err))));
    const [written, validated] = await Promise.allSettled([
      pipeline(source, tee, createWriteStream(file, { flags: "wx", mode: 0o600 })),
      validation,
    ]);
    if (written.status === "rejected" || validated.status === "rejected") {
      const err = pickError(written, validated);
      const sourceClosedEarly = (err as NodeJS.ErrnoException)?.code === "ERR_STREAM_PREMATURE_CLOSE" && !source.readableEnded;
      throw err === sourceError || sourceClosedEarly ? interrupted(err) : err;
    }
    return {
      path: file,
      size: tee.bytes,
      sha256: tee.digest(),
      filename: safeFilename(opts.filename),
      manifest: validated.value,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * Parses a multipart/form-data request as it streams: small text fields go to `fields`, the
 * file field `archive` goes through receiveArchiveFile. `archive` is null when none was sent;
 * the caller decides whether that is an error. Rejections leave no temp files behind.
 */
export async function receiveUpload(request: Request, opts: { maxBytes?: number; limits?: Partial<ArchiveLimits> } = {}): Promise<ReceivedUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    await cancelBody(request);
    throw new InvalidInputError(
      `Send the upload as multipart/form-data with the archive in a file field named "${ARCHIVE_FIELD}" (for example \`curl -F ${ARCHIVE_FIELD}=@function.tar.gz ...\`), not as ${contentType ? `"${contentType.split(";")[0]}"` : "a request without a Content-Type"}.`,
    );
  }
  if (!request.body) throw new InvalidInputError(`The request has no body. Send the archive in a multipart file field named "${ARCHIVE_FIELD}".`);
  const maxBytes = opts.maxBytes ?? config.limits.archiveMaxBytes;
  const contentLength = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(contentLength) && contentLength > maxBytes + MULTIPART_SLACK_BYTES) {
    await cancelBody(request);
    throw tooLarge(contentLength, maxBytes);
  }

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { fieldSize: FIELD_MAX_BYTES, fields: MAX_FIELDS, parts: MAX_FIELDS + 2, fieldNameSize: 100 },
    });
  } catch (err) {
    await cancelBody(request);
    throw new InvalidInputError(`The multipart/form-data request is malformed (${(err as Error).message}). Let your HTTP client build the form (e.g. \`curl -F\`) rather than setting the Content-Type by hand.`);
  }
  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  return parseMultipart(body, parser, { maxBytes, limits: opts.limits });
}

function parseMultipart(body: Readable, parser: busboy.Busboy, opts: { maxBytes: number; limits?: Partial<ArchiveLimits> }): Promise<ReceivedUpload> {
  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields = new Map<string, string>(); // a Map, so a field named "__proto__" stays data
    let archive: Promise<ReceivedArchive> | null = null;
    let archiveStream: Readable | null = null;
    let settled = false;
    let bodyBytes = 0;
    body.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));

    const fail = async (err: unknown) => {
      if (settled) return;
      settled = true;
      stopReading(body, parser, bodyBytes, opts.maxBytes + MULTIPART_SLACK_BYTES);
      archiveStream?.destroy();
      if (archive) await archive.then((a) => a.cleanup(), () => {});
      reject(err);
    };

    parser.on("field", (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        return void fail(new InvalidInputError(`The form field "${name}" is too long; text fields may be at most ${formatSize(FIELD_MAX_BYTES)}.`));
      }
      if (name === ARCHIVE_FIELD) {
        return void fail(new InvalidInputError(`The "${ARCHIVE_FIELD}" field must be a file upload, not text. Attach it as a file (e.g. \`curl -F ${ARCHIVE_FIELD}=@function.tar.gz\`).`));
      }
      fields.set(name, value);
    });
    parser.on("file", (name, stream, info) => {
      if (settled) return void discard(stream);
      if (name !== ARCHIVE_FIELD) {
        discard(stream);
        return void fail(new InvalidInputError(`Unexpected file field "${name}". Send the archive in a file field named "${ARCHIVE_FIELD}".`));
      }
      if (archive) {
        discard(stream);
        return void fail(new InvalidInputError(`The upload has more than one "${ARCHIVE_FIELD}" file. Send exactly one .tar.gz archive per deployment.`));
      }
      archiveStream = stream;
      archive = receiveArchiveFile(stream, { maxBytes: opts.maxBytes, filename: info.filename, limits: opts.limits });
      archive.catch(fail);
    });
    parser.on("fieldsLimit", () => void fail(new InvalidInputError(`The form has too many fields; send at most ${MAX_FIELDS}.`)));
    parser.on("partsLimit", () => void fail(new InvalidInputError(`The form has too many parts; send the archive and at most ${MAX_FIELDS} text fields.`)));
    parser.on("error", (err: Error) => void fail(new InvalidInputError(`The multipart/form-data body is malformed or incomplete (${err.message}). Send it again.`)));
    parser.on("close", () => {
      if (settled) return;
      const done = archive ?? Promise.resolve(null);
      done.then((received) => {
        if (settled) return void received?.cleanup();
        settled = true;
        resolve({ fields: Object.fromEntries(fields), archive: received });
      }, fail);
    });
    body.on("error", (err) => void fail(interrupted(err)));
    body.pipe(parser);
  });
}

/**
 * Stops parsing but keeps reading (and discarding) what the client still sends, up to a bound,
 * so it can read our error response instead of seeing its connection reset mid-upload.
 */
function stopReading(body: Readable, parser: busboy.Busboy, alreadyRead: number, maxTotal: number) {
  body.unpipe(parser);
  // Left as it is rather than destroyed: destroying busboy errors its current file stream.
  parser.on("error", () => {});
  if (body.destroyed || body.readableEnded) return;
  let read = alreadyRead;
  body.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > maxTotal) body.destroy();
  });
  body.resume();
}

function discard(stream: Readable) {
  stream.on("error", () => {});
  stream.resume();
}

async function cancelBody(request: Request) {
  await request.body?.cancel().catch(() => {});
}

/** Counts and hashes the bytes on their way to disk, copying them to the validator. */
class UploadTee extends Transform {
  bytes = 0;
  private readonly hash = createHash("sha256");

  constructor(
    private readonly maxBytes: number,
    private readonly validatorInput: PassThrough,
  ) {
    super();
  }

  digest(): string {
    return this.hash.digest("hex");
  }

  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return cb(tooLarge(undefined, this.maxBytes));
    this.hash.update(chunk);
    this.push(chunk);
    if (this.validatorInput.write(chunk)) return cb();
    // Wait for the validator to catch up; if it stops instead, its error ends the upload.
    const onDrain = () => {
      this.validatorInput.off("close", onClose);
      cb();
    };
    const onClose = () => this.validatorInput.off("drain", onDrain);
    this.validatorInput.once("drain", onDrain);
    this.validatorInput.once("close", onClose);
  }

  _flush(cb: TransformCallback) {
    this.validatorInput.end();
    cb();
  }

  _destroy(err: Error | null, cb: (err?: Error | null) => void) {
    if (!this.validatorInput.destroyed) this.validatorInput.destroy(err ?? undefined);
    cb(err);
  }
}

function tooLarge(size: number | undefined, maxBytes: number): PayloadTooLargeError {
  const what = size === undefined ? `more than ${formatSize(maxBytes)}` : formatSizeOver(size, maxBytes);
  return new PayloadTooLargeError(
    `The archive is ${what}; the limit is ${formatSize(maxBytes)}. Leave out dependencies and build outputs (node_modules, .dart_tool, build/): they are installed during the build. The operator can raise ARCHIVE_MAX_BYTES.`,
  );
}

function interrupted(err: unknown): unknown {
  if (err instanceof AppError) return err;
  return new InvalidInputError(`The upload was interrupted before it was complete (${(err as Error)?.message ?? err}). Send it again.`);
}

/** Our own errors say what is wrong with the archive; prefer them over the stream noise they cause. */
function pickError(written: PromiseSettledResult<unknown>, validated: PromiseSettledResult<unknown>): unknown {
  const reasons = [written, validated].filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
  return reasons.find((r) => r instanceof AppError) ?? reasons[0];
}

function safeFilename(name: string | undefined): string {
  const base = name ? path.basename(name.replace(/\\/g, "/")) : "";
  return base && base !== "." && base !== ".." ? base.slice(0, 255) : "function.tar.gz";
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= fn());
}
