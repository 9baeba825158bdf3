import "server-only";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import S3rver from "s3rver";
import { config, ensureDataDir } from "../config";
import { UnavailableError } from "../errors";
import { ensureBucket, setS3Endpoint, storageState } from "./s3";

// The zero-setup default (DESIGN.md §6, §8): with S3_ENDPOINT unset the app runs s3rver, a real
// S3 HTTP server, on 127.0.0.1 with its data under .data/s3, and talks to it over HTTP exactly
// as it would to AWS S3.

export interface EmbeddedS3 {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 (`port` 0: any free port), optionally with buckets already made. */
export async function startEmbeddedS3({
  directory,
  port,
  buckets = [],
}: {
  directory: string;
  port: number;
  buckets?: string[];
}): Promise<EmbeddedS3> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    directory,
    silent: true,
    // Path-style only: a virtual-host lookup on 127.0.0.1 can never match a bucket.
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  // s3rver closes its logger when the server closes, and a response cut off by the close then
  // logs to a logger without transports, which winston reports on stderr. The logger is silent
  // and holds nothing to release, so it stays open.
  server.logger.close = () => {};
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    close() {
      // Drop kept-alive client sockets so close() does not wait for them to time out.
      closed ??= (async () => {
        const closing = server.close();
        server.httpServer?.closeAllConnections();
        await closing;
      })();
      return closed;
    },
  };
}

/**
 * Makes storage usable, once per process: starts the embedded server when S3_ENDPOINT is
 * unset, then creates the bucket if it is missing. A failed attempt is retried on the next call.
 */
export function ensureStorage(): Promise<void> {
  const state = storageState();
  state.ready ??= prepare().catch((err) => {
    state.ready = undefined;
    throw err;
  });
  return state.ready;
}

async function prepare(): Promise<void> {
  const state = storageState();
  if (!config.s3.endpoint && !state.endpointOverride) {
    if (!state.embedded) {
      const directory = path.join(ensureDataDir(), "s3");
      try {
        state.embedded = await startEmbeddedS3({ directory, port: config.s3.embeddedPort });
      } catch (err) {
        throw new UnavailableError(
          "storage",
          `The embedded S3 server could not start on 127.0.0.1:${config.s3.embeddedPort} with data in ${directory}: ${(err as Error).message}. Set S3_ENDPOINT to use another S3 service, or EMBEDDED_S3_PORT to pick a free port.`,
        );
      }
    }
    setS3Endpoint(state.embedded.endpoint);
  }
  await ensureBucket();
}

/** Stops the embedded server if this process started one (for tests and clean shutdowns). */
export async function stopEmbeddedStorage(): Promise<void> {
  const state = storageState();
  const embedded = state.embedded;
  state.embedded = undefined;
  state.ready = undefined;
  if (embedded) {
    if (state.endpointOverride === embedded.endpoint) setS3Endpoint(undefined);
    await embedded.close();
  }
}
