import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestImage, nodeFunctionFiles } from "../../test/fixtures/node-function";
import { BadGatewayError, PayloadTooLargeError, TimeoutError, TooManyRequestsError, UnavailableError } from "../errors";
import { ContainerStartError, FUNCTION_NETWORK } from "./container";
import { createExecutor, type Executor } from "./executor";
import { LABEL_DEPLOYMENT_ID, LABEL_MANAGED } from "../build/labels";
import type { RunLimits, RunTarget } from "./types";

// Real Docker Engine: one image of the test function, many deployments of it. Every container
// carries a per-run label so this file never touches anyone else's containers.

const docker = new Docker();
const run = randomUUID().slice(0, 8);
const RUN_LABEL = "dartcloud.test-run";
const labels = { [RUN_LABEL]: run };
const imageTag = `dartcloud-test/runtime-${run}:latest`;
const brokenImageTag = `dartcloud-test/runtime-broken-${run}:latest`;
const MAX_BODY = 64 * 1024;

const defaultLimits: RunLimits = {
  memoryMb: 128,
  cpus: 0.5,
  pidsLimit: 64,
  timeoutMs: 5_000,
  concurrency: 10,
  queueLimit: 10,
  idleTimeoutMs: 60_000,
};

function target(overrides: Partial<RunLimits> = {}, image = imageTag): RunTarget {
  return {
    deploymentId: randomUUID(),
    functionId: randomUUID(),
    version: 1,
    imageTag: image,
    limits: { ...defaultLimits, ...overrides },
  };
}

function call(
  executor: Executor,
  t: RunTarget,
  path: string,
  init: { method?: string; search?: string; headers?: Record<string, string>; body?: ReadableStream<Uint8Array> | string } = {},
): Promise<Response> {
  const body =
    typeof init.body === "string" ? (new Response(init.body).body as ReadableStream<Uint8Array>) : (init.body ?? null);
  return executor.invoke(t, {
    method: init.method ?? (body ? "POST" : "GET"),
    path,
    search: init.search ?? "",
    headers: new Headers(init.headers),
    body,
  });
}

async function containersOf(deploymentId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_DEPLOYMENT_ID}=${deploymentId}`] } });
}

function containerIdOf(executor: Executor, deploymentId: string): string | undefined {
  return executor.listInstances().find((i) => i.deploymentId === deploymentId)?.containerId;
}

async function gone(containerId: string): Promise<boolean> {
  try {
    await docker.getContainer(containerId).inspect();
    return false;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode === 404;
  }
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

let executor: Executor;

beforeAll(async () => {
  await Promise.all([
    buildTestImage(docker, nodeFunctionFiles({ version: "1" }), imageTag),
    buildTestImage(docker, nodeFunctionFiles({ version: "1", failOnStart: "missing config: set GREETING" }), brokenImageTag),
  ]);
  executor = createExecutor({ extraLabels: labels, maxBodyBytes: MAX_BODY, sweepIntervalMs: 100, probeTimeoutMs: 2_000 });
});

afterAll(async () => {
  await executor?.shutdown();
  const mine = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`, RUN_LABEL] } });
  await Promise.all(
    mine
      .filter((c) => c.Labels[RUN_LABEL]?.startsWith(run))
      .map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)),
  );
  for (const tag of [imageTag, brokenImageTag]) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
});

describe("invoke", () => {
  it("returns the function's own status, headers and body, with the platform headers added", async () => {
    const t = target();
    const res = await call(executor, t, "/anything/deep", {
      search: "?x=1&y=two",
      headers: { "x-test": "hello", "content-type": "text/plain", connection: "keep-alive, x-hop", "x-hop": "drop me" },
      body: "request body",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-function-version")).toBe("1");
    expect(res.headers.get("x-deployment-id")).toBe(t.deploymentId);
    expect(res.headers.get("x-fn-version")).toBe("1");
    const echoed = await res.json();
    expect(echoed).toMatchObject({
      method: "POST",
      path: "/anything/deep",
      query: { x: "1", y: "two" },
      body: "request body",
    });
    expect(echoed.headers["x-test"]).toBe("hello");
    expect(echoed.headers["x-hop"]).toBeUndefined();

    const teapot = await call(executor, t, "/status/418");
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe("status 418");

    const empty = await call(executor, t, "/status/204", { method: "DELETE" });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();

    const custom = await call(executor, t, "/headers");
    expect(custom.headers.get("x-custom")).toBe("yes");
    expect(custom.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    await custom.body?.cancel();

    // A streamed body (no content-length) within the limit arrives byte for byte and streams back.
    const payload = "0123456789abcdef".repeat(3_000);
    const echo = await call(executor, t, "/echo", { body: payload, headers: { "content-type": "application/x-test" } });
    expect(echo.headers.get("content-type")).toBe("application/x-test");
    expect(await echo.text()).toBe(payload);
  });

  it("puts functions on a network where they cannot reach each other directly", async () => {
    const a = target();
    const b = target();
    await executor.ensureRunning(a);
    await executor.ensureRunning(b);
    const infoB = await docker.getContainer(containerIdOf(executor, b.deploymentId)!).inspect();
    expect(infoB.HostConfig.NetworkMode).toBe(FUNCTION_NETWORK);
    const ipB = infoB.NetworkSettings.Networks[FUNCTION_NETWORK].IPAddress;
    expect(ipB).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const probe = `const s=require("net").connect(8080,${JSON.stringify(ipB)});s.on("connect",()=>{console.log("open");process.exit(0)});s.on("error",e=>{console.log("blocked "+e.code);process.exit(0)});setTimeout(()=>{console.log("blocked timeout");process.exit(0)},1500)`;
    const { stdout } = await promisify(execFile)("docker", ["exec", containerIdOf(executor, a.deploymentId)!, "node", "-e", probe]);
    expect(stdout.trim()).toMatch(/^blocked/);
    // The platform still reaches both through their published ports.
    expect((await call(executor, b, "/")).status).toBe(200);
  });

  it("runs the container hardened: read-only root, no capabilities, no-new-privileges, limits, port on 127.0.0.1", async () => {
    const t = target();
    const res = await call(executor, t, "/sandbox");
    expect(await res.json()).toMatchObject({
      uid: 1000,
      rootWritable: false,
      tmpWritable: true,
      capEff: "0000000000000000",
      noNewPrivs: "1",
    });

    const info = await docker.getContainer(containerIdOf(executor, t.deploymentId)!).inspect();
    const host = info.HostConfig;
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.CapDrop).toContain("ALL");
    expect(host.SecurityOpt).toContain("no-new-privileges");
    expect(host.Privileged).toBe(false);
    expect(host.Memory).toBe(128 * 1024 * 1024);
    expect(host.NanoCpus).toBe(0.5e9);
    expect(host.PidsLimit).toBe(64);
    expect(host.Binds ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(host.PortBindings["8080/tcp"]).toEqual([{ HostIp: "127.0.0.1", HostPort: "" }]);
    expect(info.NetworkSettings.Ports["8080/tcp"]?.every((b) => b.HostIp === "127.0.0.1")).toBe(true);
    expect(info.Config.Labels).toMatchObject({
      "dartcloud.managed": "true",
      "dartcloud.function-id": t.functionId,
      "dartcloud.version": "1",
      "dartcloud.deployment-id": t.deploymentId,
    });
    expect(info.Config.User).toBe("1000");
  });

  it("shares one start between concurrent callers", async () => {
    const t = target();
    await Promise.all([executor.ensureRunning(t), executor.ensureRunning(t), call(executor, t, "/").then((r) => r.text())]);
    expect(executor.isWarm(t.deploymentId)).toBe(true);
    expect(await containersOf(t.deploymentId)).toHaveLength(1);
  });
});

describe("limits and failures", () => {
  it("times out a slow request with TimeoutError, and the function answers again right after", async () => {
    const t = target({ timeoutMs: 400 });
    await executor.ensureRunning(t);
    const before = containerIdOf(executor, t.deploymentId);
    await expect(call(executor, t, "/sleep", { search: "?ms=3000" })).rejects.toBeInstanceOf(TimeoutError);
    const res = await call(executor, t, "/");
    expect(res.status).toBe(200);
    await res.text();
    expect(containerIdOf(executor, t.deploymentId)).toBe(before);
  });

  it("replaces a container that stops answering after a timeout", async () => {
    const quick = createExecutor({ extraLabels: labels, probeTimeoutMs: 300 });
    try {
      const t = target({ timeoutMs: 300 });
      await quick.ensureRunning(t);
      const wedged = containerIdOf(quick, t.deploymentId)!;
      await expect(call(quick, t, "/spin", { search: "?ms=30000" })).rejects.toBeInstanceOf(TimeoutError);
      // The liveness probe after the timeout finds it unresponsive; the next request gets a new container.
      const res = await call(quick, t, "/");
      expect(res.status).toBe(200);
      await res.text();
      expect(containerIdOf(quick, t.deploymentId)).not.toBe(wedged);
      await eventually(() => gone(wedged));
    } finally {
      await quick.shutdown();
    }
  });

  it("reports a crash as BadGatewayError and replaces the container on the next request", async () => {
    const t = target();
    await executor.ensureRunning(t);
    const crashed = containerIdOf(executor, t.deploymentId)!;
    const error = await call(executor, t, "/crash").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadGatewayError);
    expect((error as Error).message).toMatch(/crashed.*exit code 1/);
    const res = await call(executor, t, "/");
    expect(res.status).toBe(200);
    await res.text();
    expect(containerIdOf(executor, t.deploymentId)).not.toBe(crashed);
    await eventually(() => gone(crashed));
  });

  it("rejects a body over the limit, declared or streamed, with PayloadTooLargeError", async () => {
    const t = target();
    const big = "x".repeat(MAX_BODY + 1);
    await expect(
      call(executor, t, "/echo", { body: big, headers: { "content-length": String(big.length) } }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    // Nothing was started for a request refused up front.
    expect(executor.isWarm(t.deploymentId)).toBe(false);

    const chunk = new Uint8Array(16 * 1024);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    await expect(call(executor, t, "/echo", { body: endless })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(sent).toBeLessThan(MAX_BODY * 2);

    const res = await call(executor, t, "/echo", { body: "small" });
    expect(await res.text()).toBe("small");
  });

  it("queues up to the limit and answers TooManyRequestsError beyond it", async () => {
    const t = target({ concurrency: 1, queueLimit: 1 });
    await executor.ensureRunning(t);
    const slow = () => call(executor, t, "/sleep", { search: "?ms=600" }).then((r) => r.status);
    const results = await Promise.allSettled([slow(), slow(), slow()]);
    expect(results[0]).toEqual({ status: "fulfilled", value: 200 });
    expect(results[1]).toEqual({ status: "fulfilled", value: 200 });
    expect(results[2].status).toBe("rejected");
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(TooManyRequestsError);
    const later = await call(executor, t, "/");
    expect(later.status).toBe(200);
    await later.text();
  });

  it("fails a start with the container's last log lines and leaves no container behind", async () => {
    const t = target({}, brokenImageTag);
    const error = await executor.ensureRunning(t).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerStartError);
    expect((error as ContainerStartError).reason).toBe("exited");
    expect((error as Error).message).toContain("missing config: set GREETING");
    expect(executor.isWarm(t.deploymentId)).toBe(false);
    await eventually(async () => (await containersOf(t.deploymentId)).length === 0);
  });

  it("answers UnavailableError('docker') when the Docker Engine is unreachable", async () => {
    const offline = createExecutor({ docker: new Docker({ socketPath: "/nonexistent/docker.sock" }), extraLabels: labels });
    const error = await call(offline, target(), "/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).dependency).toBe("docker");
    await offline.shutdown();
  });
});

describe("lifecycle", () => {
  it("stops an idle container and cold-starts on the next request", async () => {
    const t = target({ idleTimeoutMs: 300 });
    await executor.ensureRunning(t);
    const first = containerIdOf(executor, t.deploymentId)!;
    await eventually(() => !executor.isWarm(t.deploymentId));
    await eventually(() => gone(first));
    const res = await call(executor, t, "/");
    expect(res.status).toBe(200);
    await res.text();
    expect(containerIdOf(executor, t.deploymentId)).not.toBe(first);
  });

  it("retire drains in-flight requests before stopping the container", async () => {
    const t = target();
    await executor.ensureRunning(t);
    const id = containerIdOf(executor, t.deploymentId)!;
    const slow = call(executor, t, "/sleep", { search: "?ms=800" }).then(async (r) => ({ status: r.status, body: await r.json() }));
    await new Promise((r) => setTimeout(r, 100));
    await executor.retire(t.deploymentId);
    // Had retire stopped the container mid-request, the slow call would have failed with a 502.
    expect(await slow).toEqual({ status: 200, body: { version: "1", slept: 800 } });
    expect(executor.isWarm(t.deploymentId)).toBe(false);
    expect(await gone(id)).toBe(true);
  });

  it("retire with keepWarmMs keeps the old version warm for a while, then stops it", async () => {
    const t = target();
    await executor.ensureRunning(t);
    const id = containerIdOf(executor, t.deploymentId)!;
    await executor.retire(t.deploymentId, { keepWarmMs: 400 });
    expect(executor.isWarm(t.deploymentId)).toBe(true);
    await eventually(() => gone(id));
    expect(executor.isWarm(t.deploymentId)).toBe(false);
  });

  it("stopFunction removes every container of the function", async () => {
    const v1 = target();
    const v2 = { ...target(), functionId: v1.functionId, version: 2 };
    await Promise.all([executor.ensureRunning(v1), executor.ensureRunning(v2)]);
    const ids = [containerIdOf(executor, v1.deploymentId)!, containerIdOf(executor, v2.deploymentId)!];
    await executor.stopFunction(v1.functionId);
    expect(executor.isWarm(v1.deploymentId) || executor.isWarm(v2.deploymentId)).toBe(false);
    for (const id of ids) expect(await gone(id)).toBe(true);
  });

  it("reconcile adopts an active deployment's container and removes the rest", async () => {
    const scoped = { [RUN_LABEL]: `${run}-reconcile` };
    const before = createExecutor({ extraLabels: scoped });
    const active = target();
    const stale = target();
    await Promise.all([before.ensureRunning(active), before.ensureRunning(stale)]);
    const activeContainer = containerIdOf(before, active.deploymentId)!;
    const staleContainer = containerIdOf(before, stale.deploymentId)!;
    await before.shutdown(); // a restart: containers keep running

    const after = createExecutor({ extraLabels: scoped });
    try {
      const result = await after.reconcile([active]);
      expect(result).toEqual({ adopted: [active.deploymentId], removed: [staleContainer] });
      expect(await gone(staleContainer)).toBe(true);
      expect(after.isWarm(active.deploymentId)).toBe(true);
      const res = await call(after, active, "/");
      expect(res.status).toBe(200);
      await res.text();
      expect(containerIdOf(after, active.deploymentId)).toBe(activeContainer);
      expect(await containersOf(active.deploymentId)).toHaveLength(1);
    } finally {
      await after.stop(active.deploymentId);
      await after.shutdown();
    }
  });
});
