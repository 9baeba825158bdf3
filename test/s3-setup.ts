// Starts a real S3 HTTP server (s3rver) on 127.0.0.1 for the integration tests, with a fresh
// data directory and the test bucket already created, and points the test workers at it.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedS3 } from "../server/storage/embedded";

export const testBucket = "dart-cloud-test";

export default async function setup() {
  const directory = await mkdtemp(path.join(os.tmpdir(), "dart-cloud-s3-"));
  const server = await startEmbeddedS3({ directory, port: 0, buckets: [testBucket] });
  // Workers inherit these; set them all so a developer's own S3 settings never leak in.
  Object.assign(process.env, {
    S3_ENDPOINT: server.endpoint,
    S3_BUCKET: testBucket,
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_FORCE_PATH_STYLE: "true",
    // The SDK warns once per worker that it will need Node 22 from 2027; noise in test output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  return async function teardown() {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  };
}
