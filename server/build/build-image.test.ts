// Builds real images on the real Docker Engine from tiny archives made here, then runs one.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const NODE_BASE = "dartcloud/node-base:local";

type BuildModule = typeof import("./index");
let build: BuildModule;
let workDir: string;
const createdTags = new Set<string>();
const createdContainers = new Set<string>();

beforeAll(async () => {
  // config reads the environment once, at import: set it first, then import fresh modules.
  vi.stubEnv("NODE_BASE_IMAGE", NODE_BASE);
  vi.stubEnv("DOCKER_HOST", "");
  vi.resetModules();
  build = await import("./index");
  workDir = await mkdtemp(path.join(os.tmpdir(), "dartcloud-build-test-"));
});

afterAll(async () => {
  const docker = build.getDocker();
  for (const id of createdContainers) await docker.getContainer(id).remove({ force: true }).catch(() => {});
  for (const tag of createdTags) await build.removeImage(tag);
  await rm(workDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

type ArchiveFile = { content: string; mode?: number };

/** A .tar.gz with the files at its root, named "./x" as `tar -C dir .` writes them. */
async function writeArchive(files: Record<string, string | ArchiveFile>): Promise<string> {
  const file = path.join(workDir, `${randomBytes(4).toString("hex")}.tar.gz`);
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), createWriteStream(file));
  pack.entry({ name: "./", type: "directory", mode: 0o755 });
  for (const [name, value] of Object.entries(files)) {
    const { content, mode } = typeof value === "string" ? { content: value, mode: 0o644 } : value;
    pack.entry({ name: `./${name}`, mode }, content);
  }
  pack.finalize();
  await written;
  return file;
}

function uniqueTag(name: string): string {
  const tag = `dartcloud-test-${name}-${randomBytes(4).toString("hex")}:latest`;
  createdTags.add(tag);
  return tag;
}

function manifestOf(files: Record<string, unknown>, packageJson?: { scripts?: Record<string, string> }) {
  return { files: Object.keys(files), packageJson, hasPackageLock: false };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(1_000) });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

describe("buildImage (real Docker Engine)", () => {
  it("builds a node function that runs as user 1000 and answers HTTP", async () => {
    const packageJson = { name: "hello", scripts: { start: `node server.js "it's \\"quoted\\""` } };
    const files = {
      "package.json": JSON.stringify(packageJson),
      "server.js": `
        const fs = require("node:fs");
        require("node:http").createServer((req, res) => {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({
            arg: process.argv[2], uid: process.getuid(), pid: process.pid,
            privateFile: fs.readFileSync("/app/private.txt", "utf8"),
            ignoredShipped: fs.existsSync("/app/secret.txt"),
          }));
        }).listen(Number(process.env.PORT));
      `,
      // Owner-only in the archive: still readable by the non-root user in the image.
      "private.txt": { content: "private", mode: 0o600 },
      ".dockerignore": "secret.txt\n",
      "secret.txt": "must not reach the image",
    };
    const tag = uniqueTag("node");
    const functionId = `f-${randomBytes(4).toString("hex")}`;
    const labels = build.imageLabels({ functionId, version: 3, deploymentId: "d-test" });
    const logs: string[] = [];

    const built = await build.buildImage({
      archivePath: await writeArchive(files),
      runtime: "node",
      manifest: manifestOf(files, packageJson),
      tag,
      labels,
      onLog: (text) => logs.push(text),
    });

    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(built.size).toBeGreaterThan(0);
    expect(logs.length).toBeGreaterThan(1);
    expect(logs.join("")).toContain(`Successfully tagged ${tag}`);
    expect(await build.imageExists(tag)).toBe(true);

    const docker = build.getDocker();
    const image = await docker.getImage(tag).inspect();
    expect(image.Id).toBe(built.imageId);
    expect(image.Config.Labels).toMatchObject({
      "dartcloud.managed": "true",
      "dartcloud.function-id": functionId,
      "dartcloud.version": "3",
      "dartcloud.deployment-id": "d-test",
    });
    expect(image.Config.User).toBe("1000:1000");
    const managed = await build.listManagedImages();
    expect(managed.find((m) => m.id === built.imageId)).toMatchObject({ tags: [tag], labels: { "dartcloud.function-id": functionId } });
    expect(await build.listManagedImages({ functionId })).toEqual([expect.objectContaining({ id: built.imageId, tags: [tag] })]);
    expect(await build.listManagedImages({ functionId: "f-none" })).toEqual([]);

    const container = await docker.createContainer({
      Image: tag,
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
    });
    createdContainers.add(container.id);
    await container.start();
    const hostPort = (await container.inspect()).NetworkSettings.Ports["8080/tcp"][0].HostPort;
    const response = await waitForHttp(`http://127.0.0.1:${hostPort}/`, 15_000);
    expect(await response.json()).toEqual({
      arg: `it's "quoted"`, // the start script's quoting survived the CMD array
      uid: 1000,
      pid: 1, // exec: the function itself is PID 1, not a shell or npm
      privateFile: "private",
      ignoredShipped: false, // .dockerignore applied
    });
    await container.remove({ force: true });
    createdContainers.delete(container.id);

    await build.removeImage(tag);
    expect(await build.imageExists(tag)).toBe(false);
    await build.removeImage(tag); // idempotent
  });

  it("reports a failing RUN step of an archive's own Dockerfile, with the log streamed as it came", async () => {
    const files = { Dockerfile: `FROM ${NODE_BASE}\nRUN echo before && exit 1\n` };
    const tag = uniqueTag("fails");
    const logs: string[] = [];

    const error = await build
      .buildImage({
        archivePath: await writeArchive(files),
        runtime: "dockerfile",
        manifest: manifestOf(files),
        tag,
        labels: build.imageLabels({ functionId: "f-test", version: 1, deploymentId: "d-test" }),
        onLog: (text) => logs.push(text),
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "BuildFailedError", code: "build_failed" });
    const failure = error as Error & { details: { logTail: string; step: string } };
    // The classic builder counts the labels as extra steps, hence "2/N".
    expect(failure.message).toMatch(
      /^Step 2\/\d+ : RUN echo before && exit 1 — The command '\/bin\/sh -c echo before && exit 1' returned a non-zero code: 1$/,
    );
    expect(failure.details.step).toMatch(/^Step 2\/\d+ : RUN echo before && exit 1$/);
    expect(failure.details.logTail).toContain("before");
    expect(logs.length).toBeGreaterThan(1);
    const log = logs.join("");
    expect(log).toMatch(/Step 2\/\d+ : RUN echo before && exit 1/);
    expect(log).toContain("returned a non-zero code: 1");
    expect(await build.imageExists(tag)).toBe(false);
  });

  it("fails cleanly, without hanging, when the stored archive turns out unreadable", async () => {
    const archivePath = path.join(workDir, "corrupt.tar.gz");
    await writeFile(archivePath, "not a gzip file at all");
    const files = { "package.json": "{}", "server.js": "" };
    const error = await build
      .buildImage({
        archivePath,
        runtime: "node",
        manifest: manifestOf(files, { scripts: { start: "node server.js" } }),
        tag: uniqueTag("corrupt"),
        labels: {},
        onLog: () => {},
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "build_failed", message: expect.stringContaining("The uploaded archive could not be read for the build") });
  });

  it("stops a build that runs past its timeout and leaves no build container behind", async () => {
    const marker = `dartcloud-timeout-${randomBytes(4).toString("hex")}`;
    const files = { Dockerfile: `FROM ${NODE_BASE}\nRUN echo started && sleep 30 && echo ${marker}\n` };
    const tag = uniqueTag("slow");
    const logs: string[] = [];
    const started = Date.now();

    const error = await build
      .buildImage({
        archivePath: await writeArchive(files),
        runtime: "dockerfile",
        manifest: manifestOf(files),
        tag,
        labels: {},
        onLog: (text) => logs.push(text),
        timeoutMs: 2_000,
      })
      .catch((e: unknown) => e);

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ code: "build_failed", details: { timedOut: true } });
    expect((error as Error).message).toMatch(/^The build timed out after 2 s during "Step 2\/2 : RUN echo started/);
    expect(logs.join("")).toContain("The build timed out");

    // The engine cancels the build when the client goes: the RUN container is removed.
    const docker = build.getDocker();
    const deadline = Date.now() + 15_000;
    let leftovers = [];
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      leftovers = (await docker.listContainers({ all: true })).filter((c) => c.Command.includes(marker));
    } while (leftovers.length > 0 && Date.now() < deadline);
    expect(leftovers).toEqual([]);
    expect(await build.imageExists(tag)).toBe(false);
  });
});
