import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The build module as configured for this DOCKER_HOST (config reads it once, at import). */
async function buildModuleFor(dockerHost: string) {
  vi.stubEnv("DOCKER_HOST", dockerHost);
  vi.resetModules();
  return import("./index");
}

afterEach(() => vi.unstubAllEnvs());

describe("dockerConnection", () => {
  it("maps DOCKER_HOST to a socket or a TCP address", async () => {
    const { dockerConnection, dockerAddress } = await buildModuleFor("");
    expect(dockerConnection(undefined)).toEqual({ socketPath: "/var/run/docker.sock" });
    expect(dockerConnection("unix:///run/user/1000/docker.sock")).toEqual({ socketPath: "/run/user/1000/docker.sock" });
    expect(dockerConnection("tcp://10.0.0.5:2375", false)).toEqual({ host: "10.0.0.5", port: 2375, protocol: "http" });
    expect(dockerConnection("tcp://docker.internal:2376", false)).toEqual({ host: "docker.internal", port: 2376, protocol: "https" });
    expect(dockerConnection("tcp://10.0.0.5:2375", true)).toMatchObject({ protocol: "https" });
    expect(dockerConnection("10.0.0.5:4243", false)).toEqual({ host: "10.0.0.5", port: 4243, protocol: "http" });
    expect(() => dockerConnection("ssh://me@host")).toThrow(/unsupported scheme/);
    expect(dockerAddress({ socketPath: "/var/run/docker.sock" })).toBe("unix:///var/run/docker.sock");
    expect(dockerAddress({ host: "10.0.0.5", port: 2375, protocol: "http" })).toBe("tcp://10.0.0.5:2375");
  });
});

describe("dockerHealth and an unreachable engine", () => {
  it("reports the local engine healthy with its version, through one shared client", async () => {
    const build = await buildModuleFor("");
    expect(build.getDocker()).toBe(build.getDocker());
    const health = await build.dockerHealth();
    expect(health).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+/) });
  });

  it("turns a missing socket into UnavailableError('docker') naming the address", async () => {
    const socket = path.join(os.tmpdir(), `no-docker-${randomBytes(4).toString("hex")}.sock`);
    const build = await buildModuleFor(`unix://${socket}`);

    const health = await build.dockerHealth();
    expect(health.ok).toBe(false);
    expect(!health.ok && health.error).toContain(`Docker Engine is unreachable at unix://${socket}`);

    const unavailable = { code: "unavailable", details: { dependency: "docker" }, message: expect.stringContaining(`unix://${socket}`) };
    await expect(build.imageExists("anything:latest")).rejects.toMatchObject(unavailable);
    await expect(build.listManagedImages()).rejects.toMatchObject(unavailable);
    await expect(build.removeImage("anything:latest")).rejects.toMatchObject(unavailable);

    const dir = await mkdtemp(path.join(os.tmpdir(), "dartcloud-docker-test-"));
    try {
      const archivePath = path.join(dir, "function.tar.gz");
      // A valid (empty) archive, so the only thing wrong is the missing engine.
      await writeFile(archivePath, gzipSync(Buffer.alloc(1024)));
      const error = await build
        .buildImage({
          archivePath,
          runtime: "dockerfile",
          manifest: { files: ["Dockerfile"], hasPackageLock: false },
          tag: "dartcloud-test-unreachable:latest",
          labels: {},
          onLog: () => {},
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "unavailable", details: { dependency: "docker" } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports a refused TCP connection as unreachable", async () => {
    const build = await buildModuleFor("tcp://127.0.0.1:1");
    const health = await build.dockerHealth();
    expect(health).toEqual({ ok: false, error: expect.stringContaining("Docker Engine is unreachable at tcp://127.0.0.1:1") });
  });
});
