// Shared pieces of the benchmarks (scripts/bench/*.ts): starting the production app exactly
// like scripts/e2e-server.sh does (fresh Postgres database, own DATA_DIR, own ports), an owner
// with a token, keep-alive HTTP timing, the engine-only image build baseline, and statistics.
// Speed is only ever measured here, never asserted in tests; every figure is reported next to
// a baseline measured in the same run, because the machines are small and noisy.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Docker from "dockerode";
import postgres from "postgres";
import tar from "tar-stream";
import { nodeFunctionFiles } from "../../test/fixtures/node-function";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const docker = new Docker({ socketPath: process.env.DOCKER_SOCKET ?? "/var/run/docker.sock" });
const run = promisify(execFile);

// ---- command line ------------------------------------------------------------------------

/** `--name value` or `--name=value` from argv, else the fallback. */
export function flag(name: string, fallback: number): number;
export function flag(name: string, fallback: string): string;
export function flag(name: string, fallback: number | string): number | string {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value: string | undefined;
    if (a === `--${name}`) value = argv[i + 1];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
    if (value === undefined) continue;
    if (typeof fallback === "number") {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got "${value}"`);
      return n;
    }
    return value;
  }
  return fallback;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---- statistics and tables ---------------------------------------------------------------

/** Percentile by linear interpolation between closest ranks (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function mean(values: number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

export type Summary = { n: number; p50: number; p99: number; mean: number; min: number; max: number };

export function summarize(values: number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    mean: mean(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** A number for a table: ms with sensible precision. */
export function fmt(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "–";
  if (digits === undefined && Number.isInteger(value)) return String(value);
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toFixed(d);
}

/** A Markdown table (it reads fine in a terminal too). */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
  const line = (r: Array<string | number>) => `| ${r.map((c, i) => String(c ?? "").padEnd(widths[i])).join(" | ")} |`;
  return [line(cells[0]), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.slice(1).map(line)].join("\n");
}

export function verdict(met: boolean): string {
  return met ? "met" : "MISSED";
}

/** What the figures were measured on, for docs/benchmarks.md. */
export async function machineInfo(): Promise<string> {
  const dockerVersion = await docker
    .version()
    .then((v) => v.Version)
    .catch(() => "unknown");
  const cpu = os.cpus()[0]?.model ?? "unknown cpu";
  return [
    `date: ${new Date().toISOString()}`,
    `machine: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}`,
    `node ${process.version}, Docker Engine ${dockerVersion}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  ].join("\n");
}

// ---- HTTP with keep-alive and timing ------------------------------------------------------

export type Timed = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; ms: number };

export function keepAliveAgent(maxSockets = 64): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/** One HTTP exchange, timed from just before the request is written to the last byte of the answer. */
export function timedRequest(
  agent: http.Agent,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const headers = { ...options.headers, ...(body ? { "content-length": String(body.length) } : {}) };
    const req = http.request(url, { method: options.method ?? "GET", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`${options.method ?? "GET"} ${url} timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * `total` calls of `one`, `concurrency` at a time (each worker starts its next call when its
 * previous one ends). Returns each call's latency and the wall time of the whole batch.
 */
export async function closedLoop(total: number, concurrency: number, one: () => Promise<Timed>): Promise<{ latencies: number[]; wallMs: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued++;
      const r = await one();
      if (r.status !== 200) errors++;
      latencies.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latencies, wallMs: performance.now() - started, errors };
}

// ---- the app under test -------------------------------------------------------------------

export type Server = {
  baseUrl: string;
  port: number;
  databaseUrl: string;
  dataDir: string;
  instance: string;
  stop(): Promise<void>;
};

/** Fails with a clear message when the production build is missing. */
export function requireProductionBuild(): void {
  if (!existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) {
    console.error("No production build: .next/BUILD_ID is missing. Run `npx next build` first, then run this benchmark again.");
    process.exit(2);
  }
}

/** The local node base image the function builds start FROM (scripts/base-images.sh makes it). */
export async function ensureNodeBaseImage(image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch {
    await run("bash", [path.join(repoRoot, "scripts/base-images.sh")], { env: { ...process.env, LOCAL_NODE_BASE_IMAGE: image } });
  }
}

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function recreateDatabase(name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return `${adminUrl.slice(0, adminUrl.lastIndexOf("/"))}/${name}`;
}

async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Starts `next start` on the production build like scripts/e2e-server.sh: a fresh database
 * `dartcloud_bench_{name}`, DATA_DIR .data/bench-{name} (embedded S3 on s3Port), the local node
 * base image, PLATFORM_INSTANCE bench-{port} so its containers are told apart from other runs.
 * Resolves once /api/health answers 200. stop() deletes nothing by itself: call cleanup first.
 */
export async function startServer(opts: { name: string; port: number; s3Port: number; env?: Record<string, string> }): Promise<Server> {
  requireProductionBuild();
  const nodeBase = process.env.NODE_BASE_IMAGE ?? "dartcloud/node-base:local";
  await ensureNodeBaseImage(nodeBase);
  const dbName = `dartcloud_bench_${opts.name}`;
  const databaseUrl = await recreateDatabase(dbName);
  const dataDir = path.join(repoRoot, ".data", `bench-${opts.name}`);
  rmSync(dataDir, { recursive: true, force: true });
  const instance = `bench-${opts.port}`;
  await removeInstanceContainers(instance); // leftovers of an interrupted earlier run

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    NODE_BASE_IMAGE: nodeBase,
    PORT: String(opts.port),
    PLATFORM_INSTANCE: instance,
    EMBEDDED_S3_PORT: String(opts.s3Port),
    ...opts.env,
  };
  // BENCH_NODE_ARGS passes flags to the server's node, e.g. "--prof" to profile it (docs/benchmarks.md).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const nextBin = path.join(repoRoot, "node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: repoRoot,
    env,
    detached: true, // own process group, so stop() ends next and its workers together
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
    if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  child.on("exit", () => (exited = true));

  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const stop = async () => {
    await stopProcessGroup(child);
    await removeInstanceContainers(instance);
    if (!process.env.BENCH_KEEP) {
      await dropDatabase(dbName).catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await waitFor(
      `${baseUrl}/api/health`,
      async () => {
        if (exited) throw new Error(`next start exited before it was ready:\n${output.join("")}`);
        const ok = await fetch(`${baseUrl}/api/health`)
          .then((r) => r.status === 200)
          .catch(() => false);
        return ok ? true : undefined;
      },
      120_000,
      250,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, port: opts.port, databaseUrl, dataDir, instance, stop };
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const killed = await Promise.race([gone.then(() => true), sleep(8_000).then(() => false)]);
  if (!killed) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await Promise.race([gone, sleep(2_000)]);
  }
}

/** Removes the containers a benchmark's platform left (it leaves them running on shutdown for adoption). */
async function removeInstanceContainers(instance: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`dartcloud.instance=${instance}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
}

// ---- the REST API ------------------------------------------------------------------------

export type Owner = { email: string; token: string; headers: Record<string, string> };

/** Registers a fresh owner and creates an API token (POST /api/auth/register, /api/auth/token). */
export async function newOwner(baseUrl: string, label: string): Promise<Owner> {
  const email = `bench-${label}-${Date.now()}@example.com`;
  const password = "a long enough benchmark password";
  const registered = await fetch(`${baseUrl}/api/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const issued = await fetch(`${baseUrl}/api/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password, name: "bench" }) });
  if (issued.status !== 201) throw new Error(`token: ${issued.status} ${await issued.text()}`);
  const { token } = (await issued.json()) as { token: string };
  return { email, token, headers: { authorization: `Bearer ${token}` } };
}

export type DeployAnswer = { id: string; name: string; version: number; deploymentId: string; status: string; error?: string };

/** Uploads an archive with ?wait=true: by function name (first deploy) or to a function id. */
export async function deployArchive(baseUrl: string, owner: Owner, target: { name: string } | { id: string }, archive: Buffer): Promise<DeployAnswer> {
  const form = new FormData();
  if ("name" in target) {
    form.set("name", target.name);
    form.set("runtime", "node");
  }
  form.set("archive", new Blob([new Uint8Array(archive)], { type: "application/gzip" }), "function.tar.gz");
  const url = "name" in target ? `${baseUrl}/api/functions/deploy?wait=true` : `${baseUrl}/api/functions/${target.id}/deployments?wait=true`;
  const response = await fetch(url, { method: "POST", headers: owner.headers, body: form });
  const body = (await response.json()) as DeployAnswer;
  if (response.status !== 200 || body.status !== "active") throw new Error(`deploy: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export async function apiJson<T>(baseUrl: string, owner: Owner, pathAndQuery: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, {
    method: init.method ?? "GET",
    headers: { ...owner.headers, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${pathAndQuery}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Deletes the benchmark's functions through the API (containers, images and archives go with them). */
export async function deleteFunctions(baseUrl: string, owner: Owner, ids: string[]): Promise<void> {
  for (const id of ids) {
    await fetch(`${baseUrl}/api/functions/${id}`, { method: "DELETE", headers: owner.headers }).catch(() => {});
  }
}

/** The running container of a deployment (label dartcloud.deployment-id) and its 127.0.0.1 host port. */
export async function deploymentContainer(deploymentId: string): Promise<{ id: string; port: number } | undefined> {
  const list = await docker.listContainers({ filters: { label: [`dartcloud.deployment-id=${deploymentId}`], status: ["running"] } });
  const c = list[0];
  const port = c?.Ports.find((p) => p.PrivatePort === 8080 && p.PublicPort)?.PublicPort;
  return c && port ? { id: c.Id, port } : undefined;
}

// ---- the engine-only baseline: the same image build without the platform ------------------

/**
 * The Dockerfile the platform used for a deployment, read back from the "Step i/n : ..." lines
 * of its build log. The classic builder logs the build's `labels` parameter as extra trailing
 * LABEL steps; those are left out and counted, so the baseline passes as many labels the same way.
 */
export function dockerfileFromBuildLog(buildLog: string): { dockerfile: string; labelCount: number } {
  const steps = [...buildLog.matchAll(/^Step (\d+)\/(\d+) : (.*)$/gm)].map((m) => ({ i: Number(m[1]), n: Number(m[2]), text: m[3] }));
  const first = steps.findIndex((s) => s.i === 1);
  if (first < 0) throw new Error(`no "Step 1/n" line in the build log:\n${buildLog.slice(0, 2000)}`);
  const n = steps[first].n;
  const ordered = steps.slice(first, first + n);
  if (ordered.length !== n || ordered.some((s, k) => s.i !== k + 1)) throw new Error("the build log does not list every step in order");
  const fromLabels = ordered.filter((s) => /^LABEL dartcloud\./.test(s.text));
  const dockerfile = ordered.filter((s) => !fromLabels.includes(s)).map((s) => s.text).join("\n") + "\n";
  return { dockerfile, labelCount: fromLabels.length };
}

/** The build context the platform sends: the archive's files (0644, root-owned) plus the generated Dockerfile. */
export async function buildContextTar(files: Record<string, string>, dockerfileName: string, dockerfile: string): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date("2024-01-01T00:00:00Z");
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime, uid: 0, gid: 0 }, content);
  pack.entry({ name: dockerfileName, mode: 0o644, mtime: new Date() }, dockerfile);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/**
 * One classic-builder build through the engine API (what the platform's builder calls), timed;
 * also says how many of its steps came from Docker's layer cache.
 */
export async function engineBuild(context: Buffer, dockerfileName: string, tag: string, labelCount = 1): Promise<{ ms: number; cached: number; steps: number }> {
  const started = performance.now();
  const stream = await docker.buildImage(Readable.from([context]), { t: tag, dockerfile: dockerfileName, rm: true, forcerm: true, labels: benchLabels(tag, labelCount) });
  const output: Array<{ stream?: string; error?: string; errorDetail?: { message?: string } }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error, result) => (error ? reject(error) : resolve(result))),
  );
  const ms = performance.now() - started;
  const failure = output.find((l) => l.error || l.errorDetail);
  if (failure) throw new Error(`baseline build of ${tag} failed: ${failure.error ?? failure.errorDetail?.message}`);
  const log = output.map((l) => l.stream ?? "").join("");
  return { ms, cached: (log.match(/Using cache/g) ?? []).length, steps: (log.match(/^Step \d+\//gm) ?? []).length };
}

/** `count` labels like the platform's (distinct values per image), under dartcloud.bench.* so no platform housekeeping touches them. */
function benchLabels(tag: string, count: number): Record<string, string> {
  const labels: Record<string, string> = { "dartcloud.bench": "true" };
  for (let i = 1; i < count; i++) labels[`dartcloud.bench.l${i}`] = `${tag}-${i}`;
  return labels;
}

/** The same build with the docker CLI (classic builder, context from a directory), timed; includes the CLI's own start. */
export async function cliBuild(dir: string, dockerfileName: string, tag: string, labelCount = 1): Promise<number> {
  const started = performance.now();
  const labels = Object.entries(benchLabels(tag, labelCount)).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
  await run("docker", ["build", "-q", ...labels, "-f", path.join(dir, dockerfileName), "-t", tag, dir], {
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  });
  return performance.now() - started;
}

export async function removeImages(tags: string[]): Promise<void> {
  for (const tag of tags) await docker.getImage(tag).remove({ force: true }).catch(() => {});
}

/** Starts a container of an image directly (same port publishing, the same hardening as the platform), timed to its first HTTP answer. */
export async function directColdStart(image: string): Promise<{ ms: number; remove(): Promise<void> }> {
  const started = performance.now();
  const container = await docker.createContainer({
    Image: image,
    Env: ["PORT=8080", "HOME=/tmp"],
    ExposedPorts: { "8080/tcp": {} },
    Labels: { "dartcloud.bench": "true" },
    HostConfig: {
      PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      NanoCpus: 0.5e9,
      PidsLimit: 128,
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,nosuid,nodev,size=64m" },
      Init: true,
    },
  });
  await container.start();
  const info = await container.inspect();
  const port = Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort);
  await waitFor(
    `${image} to answer`,
    () =>
      new Promise<true | undefined>((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
          res.resume();
          resolve(true);
        });
        req.on("error", () => resolve(undefined));
      }),
    30_000,
    10,
  );
  const ms = performance.now() - started;
  return { ms, remove: () => container.remove({ force: true }).then(() => undefined).catch(() => undefined) };
}

/** The test function of test/fixtures/node-function.ts, read as files (shared, not copied). */
export { makeTarGz, nodeFunctionFiles } from "../../test/fixtures/node-function";

/** Unique per benchmark run, so no image built by tests or earlier runs on this engine shares its layers. */
export const runId = randomBytes(6).toString("hex");

/** The test function's files for one version, marked with this run's id (see runId). */
export function benchFunctionFiles(version: string | number): Record<string, string> {
  return nodeFunctionFiles({ version, extraFiles: { "bench-run.txt": `${runId} ${version}\n` } });
}
