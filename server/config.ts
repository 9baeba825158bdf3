import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// All configuration is read from the environment here, once, so every knob has one home.
// See docs/operations.md for the meaning of each variable.

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function str(name: string, fallback: string): string {
  const raw = process.env[name];
  return raw === undefined || raw === "" ? fallback : raw;
}

export const dataDir = path.resolve(str("DATA_DIR", ".data"));

export function ensureDataDir(): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return dataDir;
}

/** AUTH_SECRET from the environment, or one generated once and kept under .data/. */
export function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(ensureDataDir(), "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return readFileSync(file, "utf8").trim();
  }
}

export const config = {
  databaseUrl: process.env.DATABASE_URL || undefined,
  s3: {
    endpoint: process.env.S3_ENDPOINT || undefined,
    region: str("S3_REGION", "us-east-1"),
    bucket: str("S3_BUCKET", "dart-cloud"),
    accessKeyId: str("S3_ACCESS_KEY_ID", "S3RVER"),
    secretAccessKey: str("S3_SECRET_ACCESS_KEY", "S3RVER"),
    forcePathStyle: str("S3_FORCE_PATH_STYLE", "true") !== "false",
    /** Port of the embedded S3 server when S3_ENDPOINT is unset (0: pick a free one). */
    embeddedPort: int("EMBEDDED_S3_PORT", 0),
  },
  docker: {
    host: process.env.DOCKER_HOST || undefined,
  },
  images: {
    prefix: str("IMAGE_PREFIX", "dart-function"),
    dartBase: str("DART_BASE_IMAGE", "dart:stable"),
    node: str("NODE_BASE_IMAGE", "node:20-slim"),
  },
  limits: {
    archiveMaxBytes: int("ARCHIVE_MAX_BYTES", 50 * 1024 * 1024),
    archiveMaxUncompressedBytes: int("ARCHIVE_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024),
    archiveMaxRatio: int("ARCHIVE_MAX_RATIO", 100),
    archiveMaxEntries: int("ARCHIVE_MAX_ENTRIES", 10_000),
    buildConcurrency: Math.max(1, int("BUILD_CONCURRENCY", 2)),
    buildTimeoutMs: int("BUILD_TIMEOUT_MS", 10 * 60_000),
    invokeBodyMaxBytes: int("INVOKE_BODY_MAX_BYTES", 6 * 1024 * 1024),
  },
  runtime: {
    idleTimeoutMs: int("FUNCTION_IDLE_TIMEOUT_MS", 10 * 60_000),
    /** How long a previous version stays warm after a switch, for instant rollback. */
    warmGraceMs: int("WARM_GRACE_MS", 5 * 60_000),
    startTimeoutMs: int("FUNCTION_START_TIMEOUT_MS", 30_000),
    /** Names this platform's containers when several platforms share a Docker Engine. */
    instance: process.env.PLATFORM_INSTANCE || undefined,
  },
  port: int("PORT", 3000),
} as const;

export type Config = typeof config;
