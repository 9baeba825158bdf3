import "server-only";
import http, { type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import type { InvokeOutcome } from "./types";

// The hot path: one HTTP exchange with a warm container over a keep-alive agent. No Docker,
// no database; bodies stream both ways with backpressure.

export type ForwardFailure = "timeout" | "connection" | "too_large" | "aborted" | "bad_response";

export class ForwardError extends Error {
  constructor(
    readonly kind: ForwardFailure,
    message: string,
    readonly details: { reusedSocket?: boolean; bodyStarted?: boolean; cause?: unknown } = {},
  ) {
    super(message);
    this.name = "ForwardError";
  }
}

export type ForwardOptions = {
  agent: http.Agent;
  port: number;
  method: string;
  /** Path and query, starting with "/". */
  target: string;
  headers: OutgoingHttpHeaders;
  body: ReadableStream<Uint8Array> | null;
  maxBodyBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once after a response was returned, when its body is done (or failed, or was cancelled). */
  onBodyDone: (outcome: InvokeOutcome) => void;
};

export type ForwardResult = { status: number; headers: Headers; body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer> | null };

/**
 * Answers announcing at most this many bytes are read whole and handed on in one piece: most
 * function answers are small, and one buffer is cheaper to pass through the web-stream layers
 * and write out than a stream. Larger or unannounced bodies stream.
 */
const SMALL_BODY_BYTES = 64 * 1024;

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function connectionTokens(value: string | null | undefined): string[] {
  return value ? value.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean) : [];
}

/** Request headers for the container: end-to-end ones only, and no Host (it names the platform). */
export function requestHeaders(headers: Headers): OutgoingHttpHeaders {
  const drop = new Set(connectionTokens(headers.get("connection")));
  const out: OutgoingHttpHeaders = {};
  headers.forEach((value, name) => {
    if (hopByHop.has(name) || drop.has(name) || name === "host") return;
    out[name] = value;
  });
  return out;
}

/** Response headers from the container, minus hop-by-hop ones; repeated headers (Set-Cookie) kept apart. */
export function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  const drop = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === "connection") connectionTokens(raw[i + 1]).forEach((t) => drop.add(t));
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (hopByHop.has(name) || drop.has(name)) continue;
    try {
      headers.append(name, raw[i + 1]);
    } catch {
      // A value the Fetch API refuses (control characters) is dropped rather than failing the call.
    }
  }
  return headers;
}

const nullBodyStatus = new Set([101, 204, 205, 304]);

export function forward(o: ForwardOptions): Promise<ForwardResult> {
  return new Promise<ForwardResult>((resolve, reject) => {
    let res: IncomingMessage | undefined;
    let finished = false;
    let handedOut = false;
    let bodyStarted = false;
    let responseBytes = 0;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;

    const req = http.request({ host: "127.0.0.1", port: o.port, method: o.method, path: o.target, headers: o.headers, agent: o.agent });

    const timer = setTimeout(() => abortWith(new ForwardError("timeout", `no complete answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    const onAbort = () => abortWith(new ForwardError("aborted", "the caller aborted the request", { cause: o.signal?.reason }));
    if (o.signal?.aborted) queueMicrotask(onAbort);
    else o.signal?.addEventListener("abort", onAbort, { once: true });

    function cleanup() {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      reader?.cancel().catch(() => {});
    }

    function abortWith(error: ForwardError) {
      if (finished) return;
      if (res) res.destroy(error);
      else req.destroy(error);
    }

    // Failure before a response was handed out: the promise rejects.
    function fail(error: unknown) {
      if (finished || res) return;
      finished = true;
      cleanup();
      reject(classify(error, req.reusedSocket, bodyStarted));
    }

    // End of an exchange whose response was handed out: the body stream closes or errors.
    function done(result: InvokeOutcome["result"], error?: unknown) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      if (result !== "ok") {
        reader?.cancel().catch(() => {});
        if (!req.destroyed) req.destroy();
      }
      if (!handedOut && result === "error") reject(classify(error, false, true));
      try {
        if (result === "ok") controller?.close();
        else if (result === "error") controller?.error(classify(error, false, true));
      } catch {
        // the consumer already cancelled the stream
      }
      // A failure before the answer was handed out is the caller's to report (the promise rejects).
      if (handedOut || result === "ok") o.onBodyDone({ statusCode: res?.statusCode ?? 0, result, responseBytes });
    }

    req.on("error", (error) => (res ? undefined : fail(error)));

    req.on("response", (response) => {
      res = response;
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 599) {
        res = undefined;
        response.destroy();
        fail(new ForwardError("bad_response", `the function answered with an invalid status ${status}`));
        return;
      }
      const headers = responseHeaders(response.rawHeaders);
      response.on("error", (error) => done("error", error));
      response.on("close", () => {
        if (!response.complete) done("error", new ForwardError("connection", "the function closed the connection mid-response"));
      });

      if (o.method === "HEAD" || nullBodyStatus.has(status)) {
        response.on("end", () => done("ok"));
        response.resume();
        handedOut = true;
        resolve({ status, headers, body: null });
        return;
      }

      const announced = response.headers["content-length"];
      if (announced !== undefined && Number(announced) <= SMALL_BODY_BYTES) {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => {
          responseBytes += chunk.byteLength;
          chunks.push(chunk);
        });
        response.on("end", () => {
          const body = new Uint8Array(Buffer.concat(chunks));
          done("ok");
          handedOut = true;
          resolve({ status, headers, body });
        });
        return;
      }

      const body = new ReadableStream<Uint8Array>(
        {
          start(c) {
            controller = c;
            response.on("data", (chunk: Buffer) => {
              responseBytes += chunk.byteLength;
              c.enqueue(chunk);
              if ((c.desiredSize ?? 0) <= 0) response.pause();
            });
            response.on("end", () => done("ok"));
          },
          pull() {
            response.resume();
          },
          cancel() {
            done("cancelled");
            response.destroy();
          },
        },
        { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
      );
      handedOut = true;
      resolve({ status, headers, body });
    });

    if (!o.body) {
      req.end();
      return;
    }
    const upload = o.body;
    (async () => {
      reader = upload.getReader();
      let sent = 0;
      for (;;) {
        const { done: end, value } = await reader.read();
        if (finished || req.destroyed) return;
        if (end) return void req.end();
        bodyStarted = true;
        sent += value.byteLength;
        if (sent > o.maxBodyBytes) throw new ForwardError("too_large", `the request body exceeds ${o.maxBodyBytes} bytes`);
        if (!req.write(value)) await drained(req);
      }
    })().catch((error) => {
      // A too-large body, or the client's upload failing, ends the exchange.
      const reason = error instanceof ForwardError ? error : new ForwardError("aborted", "reading the request body failed", { cause: error });
      abortWith(reason);
    });
  });
}

function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      req.off("drain", go);
      req.off("close", go);
      resolve();
    };
    req.on("drain", go);
    req.on("close", go);
  });
}

function classify(error: unknown, reusedSocket: boolean, bodyStarted: boolean): ForwardError {
  if (error instanceof ForwardError) return new ForwardError(error.kind, error.message, { ...error.details, reusedSocket, bodyStarted });
  const code = (error as { code?: string } | null)?.code ?? "";
  const message = error instanceof Error ? error.message : String(error);
  const kind: ForwardFailure = code.startsWith("HPE_") ? "bad_response" : "connection";
  return new ForwardError(kind, code ? `${message} (${code})` : message, { reusedSocket, bodyStarted, cause: error });
}
