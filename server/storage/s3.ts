import "server-only";
import { createReadStream, createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { config } from "../config";
import { NotFoundError, UnavailableError } from "../errors";

// Archive storage through @aws-sdk/client-s3 only, so the same code talks to the embedded
// s3rver, AWS S3, MinIO or R2. Every failure to reach S3 surfaces as
// UnavailableError("storage"), which the API maps to 503 naming the dependency.

const CONNECT_TIMEOUT_MS = 3_000;
/** A socket with no traffic for this long is a stalled S3, not a slow one. */
const IDLE_TIMEOUT_MS = 60_000;
const HEALTH_TIMEOUT_MS = 5_000;
const UPLOAD_ATTEMPTS = 2;

interface StorageState {
  client?: S3Client;
  /** Uploads retry themselves with a fresh file stream: the SDK cannot replay a consumed body. */
  uploadClient?: S3Client;
  /** Endpoint of the embedded server (or a test's), used when S3_ENDPOINT is unset. */
  endpointOverride?: string;
  /** ensureStorage() in flight or done, once per process. */
  ready?: Promise<void>;
  embedded?: { endpoint: string; close(): Promise<void> };
}

// Next bundles server modules more than once; one client and one embedded server per process.
const globalKey = Symbol.for("dart-cloud.storage");
type GlobalWithStorage = typeof globalThis & { [globalKey]?: StorageState };

/** Process-wide storage state (shared with embedded.ts). */
export function storageState(): StorageState {
  const g = globalThis as GlobalWithStorage;
  return (g[globalKey] ??= {});
}

export function bucketName(): string {
  return config.s3.bucket;
}

/** The endpoint requests go to: an explicit override (embedded server, tests), else S3_ENDPOINT. */
export function s3Endpoint(): string | undefined {
  return storageState().endpointOverride ?? config.s3.endpoint;
}

/** Points the client at another endpoint (the embedded server's); drops the old clients. */
export function setS3Endpoint(url: string | undefined): void {
  const state = storageState();
  state.endpointOverride = url;
  destroyClients(state);
}

/** For tests: forget clients, endpoint override and readiness (a running embedded server is kept). */
export function resetS3Client(): void {
  const state = storageState();
  state.endpointOverride = undefined;
  state.ready = undefined;
  destroyClients(state);
}

function destroyClients(state: StorageState): void {
  state.client?.destroy();
  state.uploadClient?.destroy();
  state.client = undefined;
  state.uploadClient = undefined;
}

function buildClient(endpoint: string, maxAttempts: number): S3Client {
  return new S3Client({
    endpoint,
    region: config.s3.region,
    forcePathStyle: config.s3.forcePathStyle,
    credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
    maxAttempts,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: IDLE_TIMEOUT_MS },
    // Newer SDKs add CRC32 checksums by default, streamed as an aws-chunked trailer that
    // s3rver stores verbatim inside the object. We send our own SHA-256 header instead.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

function requireEndpoint(): string {
  const endpoint = s3Endpoint();
  if (!endpoint) {
    throw new UnavailableError(
      "storage",
      "S3 storage is not started: set S3_ENDPOINT, or let the embedded S3 server start (ensureStorage()).",
    );
  }
  return endpoint;
}

/** The client without the readiness step; ensureBucket and the embedded starter use it. */
function rawClient(): S3Client {
  const state = storageState();
  return (state.client ??= buildClient(requireEndpoint(), 2));
}

function rawUploadClient(): S3Client {
  const state = storageState();
  return (state.uploadClient ??= buildClient(requireEndpoint(), 1));
}

/** Starts the embedded server if needed and makes sure the bucket exists, once per process. */
async function ready(): Promise<void> {
  if (storageState().ready) return storageState().ready;
  const { ensureStorage } = await import("./embedded");
  await ensureStorage();
}

/** The shared S3 client, after storage is ready. */
export async function getS3Client(): Promise<S3Client> {
  await ready();
  return rawClient();
}

// ---------------------------------------------------------------------------------------------
// Errors

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

function statusOf(err: unknown): number | undefined {
  return (err as SdkError)?.$metadata?.httpStatusCode;
}

function nameOf(err: unknown): string | undefined {
  return (err as SdkError)?.name;
}

function isNotFound(err: unknown): boolean {
  const name = nameOf(err);
  return statusOf(err) === 404 || name === "NotFound" || name === "NoSuchKey";
}

/** Node's connect errors to "localhost" are AggregateErrors with an empty message. */
function describe(err: unknown): string {
  const e = err as SdkError;
  if (Array.isArray(e?.errors) && e.errors.length > 0) {
    return [...new Set(e.errors.map(describe))].join("; ");
  }
  return e?.message || e?.code || e?.name || String(err);
}

function codeOf(err: unknown): string | undefined {
  const e = err as SdkError;
  if (e?.code) return e.code;
  if (Array.isArray(e?.errors)) return e.errors.map(codeOf).find(Boolean);
  return undefined;
}

function isUnreachable(err: unknown): boolean {
  const name = nameOf(err);
  const code = codeOf(err);
  const status = statusOf(err);
  return (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    name === "TimeoutError" ||
    name === "AbortError" ||
    (status !== undefined && status >= 500)
  );
}

/** Maps SDK and socket failures to the app's error family; anything else passes through. */
export function toStorageError(err: unknown): unknown {
  if (err instanceof UnavailableError || err instanceof NotFoundError) return err;
  const endpoint = s3Endpoint() ?? "(no endpoint)";
  if (isUnreachable(err)) {
    return new UnavailableError("storage", `S3 storage is unreachable at ${endpoint}: ${describe(err)}`);
  }
  const name = nameOf(err);
  if (name === "NoSuchBucket") {
    return new UnavailableError(
      "storage",
      `S3 bucket "${bucketName()}" does not exist at ${endpoint}: create it or set S3_BUCKET.`,
    );
  }
  const status = statusOf(err);
  if (status === 401 || status === 403) {
    return new UnavailableError(
      "storage",
      `S3 at ${endpoint} refused access to bucket "${bucketName()}" (${name ?? status}): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.`,
    );
  }
  return err;
}

async function s3<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw toStorageError(err);
  }
}

// ---------------------------------------------------------------------------------------------
// Bucket

/** Creates the bucket if it is missing. Idempotent; two processes racing both succeed. */
export async function ensureBucket(): Promise<void> {
  const client = rawClient();
  const Bucket = bucketName();
  try {
    await client.send(new HeadBucketCommand({ Bucket }));
    return;
  } catch (err) {
    if (!isNotFound(err) && nameOf(err) !== "NoSuchBucket") throw toStorageError(err);
  }
  const region = config.s3.region;
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket,
        // us-east-1 is the one region that rejects an explicit location constraint.
        ...(region !== "us-east-1"
          ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }
          : {}),
      }),
    );
  } catch (err) {
    const name = nameOf(err);
    if (name === "BucketAlreadyOwnedByYou" || name === "BucketAlreadyExists") return;
    throw toStorageError(err);
  }
}

export type StorageHealth = { ok: true } | { ok: false; error: string };

/** Whether the bucket answers, within a few seconds. Never throws. */
export async function storageHealth(): Promise<StorageHealth> {
  try {
    const client = await getS3Client();
    await s3(() =>
      client.send(new HeadBucketCommand({ Bucket: bucketName() }), {
        abortSignal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      }),
    );
    return { ok: true };
  } catch (err) {
    const mapped = toStorageError(err);
    if (isNotFound(mapped)) {
      return { ok: false, error: `S3 bucket "${bucketName()}" does not exist at ${s3Endpoint()}.` };
    }
    return { ok: false, error: describe(mapped) };
  }
}

// ---------------------------------------------------------------------------------------------
// Archives

export interface ArchiveInfo {
  size: number;
  sha256?: string;
}

/**
 * Stores a file with one PutObject and a known length (s3rver has no multipart upload).
 * `sha256` (hex) is kept as object metadata and sent as the SHA-256 checksum, so S3
 * services that verify checksums reject a corrupted upload.
 */
export async function putArchive(
  key: string,
  filePath: string,
  { size, sha256 }: { size: number; sha256: string },
): Promise<void> {
  const actual = (await stat(filePath)).size;
  if (actual !== size) {
    throw new Error(`Archive file ${filePath} is ${actual} bytes, expected ${size}; refusing to store it.`);
  }
  await ready();
  const checksum = /^[0-9a-f]{64}$/i.test(sha256) ? Buffer.from(sha256, "hex").toString("base64") : undefined;
  for (let attempt = 1; ; attempt++) {
    const Body = createReadStream(filePath);
    try {
      await rawUploadClient().send(
        new PutObjectCommand({
          Bucket: bucketName(),
          Key: key,
          Body,
          ContentLength: size,
          ContentType: "application/gzip",
          Metadata: { sha256 },
          ...(checksum ? { ChecksumSHA256: checksum } : {}),
        }),
      );
      return;
    } catch (err) {
      if (attempt >= UPLOAD_ATTEMPTS || !isUnreachable(err)) throw toStorageError(err);
    } finally {
      Body.destroy();
    }
  }
}

/** Size and recorded SHA-256 of a stored archive, or null when there is none. */
export async function archiveInfo(key: string): Promise<ArchiveInfo | null> {
  const client = await getS3Client();
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucketName(), Key: key }));
    return { size: head.ContentLength ?? 0, sha256: head.Metadata?.sha256 };
  } catch (err) {
    if (isNotFound(err) && nameOf(err) !== "NoSuchBucket") return null;
    throw toStorageError(err);
  }
}

/** A stream of the stored archive. Errors mid-stream are UnavailableError("storage") too. */
export async function openArchive(key: string): Promise<Readable> {
  const client = await getS3Client();
  let body: unknown;
  try {
    body = (await client.send(new GetObjectCommand({ Bucket: bucketName(), Key: key }))).Body;
  } catch (err) {
    if (isNotFound(err) && nameOf(err) !== "NoSuchBucket") {
      throw new NotFoundError(`The archive ${key} is not in S3 bucket "${bucketName()}".`);
    }
    throw toStorageError(err);
  }
  if (!(body instanceof Readable)) {
    throw new Error(`S3 returned no readable body for ${key}.`);
  }
  const out = new PassThrough();
  body.on("error", (err) => out.destroy(toStorageError(err) as Error));
  // A consumer that gives up must not leave the S3 response open.
  out.on("close", () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(out);
  return out;
}

/** Copies a stored archive to a local file; on failure no partial file is left. */
export async function downloadArchive(key: string, destPath: string): Promise<void> {
  const source = await openArchive(key);
  try {
    await pipeline(source, createWriteStream(destPath));
  } catch (err) {
    await rm(destPath, { force: true });
    throw toStorageError(err);
  }
}

/** Deletes one object; a missing object is not an error. */
export async function deleteArchive(key: string): Promise<void> {
  const client = await getS3Client();
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucketName(), Key: key }));
  } catch (err) {
    if (isNotFound(err) && nameOf(err) !== "NoSuchBucket") return;
    throw toStorageError(err);
  }
}

/** Every object under a prefix, page by page. */
export async function* listKeys(prefix: string): AsyncIterable<{ key: string; size: number }> {
  const client = await getS3Client();
  let ContinuationToken: string | undefined;
  do {
    const page = await s3(() =>
      client.send(new ListObjectsV2Command({ Bucket: bucketName(), Prefix: prefix, ContinuationToken })),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key) yield { key: object.Key, size: object.Size ?? 0 };
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

/** Deletes every object under a non-empty prefix; returns how many were deleted. Idempotent. */
export async function deletePrefix(prefix: string): Promise<number> {
  if (!prefix) throw new Error("deletePrefix needs a non-empty prefix; refusing to empty the bucket.");
  const keys: string[] = [];
  for await (const { key } of listKeys(prefix)) keys.push(key);
  const client = await getS3Client();
  // DeleteObjects takes at most 1000 keys per request.
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const result = await s3(() =>
      client.send(
        new DeleteObjectsCommand({
          Bucket: bucketName(),
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      ),
    );
    const failed = (result.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
    if (failed.length > 0) {
      const first = failed[0];
      throw new UnavailableError(
        "storage",
        `S3 could not delete ${failed.length} object(s) under ${prefix}, e.g. ${first.Key}: ${first.Code} ${first.Message ?? ""}`.trim(),
      );
    }
  }
  return keys.length;
}
