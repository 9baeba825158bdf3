import "server-only";
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { BadGatewayError } from "../errors";
import { dockerMessage, dockerStatus, isDockerUnreachable, rethrowDocker } from "./docker-errors";
import { LABEL_DEPLOYMENT_ID, LABEL_FUNCTION_ID, LABEL_MANAGED, LABEL_VERSION } from "../build/labels";
import type { RunTarget } from "./types";

/** The port every function listens on inside its container ($PORT). */
export const FUNCTION_PORT = 8080;
const PORT_KEY = `${FUNCTION_PORT}/tcp`;

/**
 * The bridge network function containers join. Inter-container traffic is off, so one
 * function cannot call another's port directly (bypassing the platform's auth); the platform
 * reaches each one through its port published on 127.0.0.1.
 */
export const FUNCTION_NETWORK = "dartcloud-functions";

const networks = new WeakMap<Docker, Promise<void>>();

/** Creates the function network once per Docker client; an existing one is kept. */
export function ensureFunctionNetwork(docker: Docker): Promise<void> {
  let ready = networks.get(docker);
  if (!ready) {
    ready = (async () => {
      const existing = await docker.listNetworks({ filters: { name: [FUNCTION_NETWORK] } });
      if (existing.some((n) => n.Name === FUNCTION_NETWORK)) return;
      await docker
        .createNetwork({
          Name: FUNCTION_NETWORK,
          Driver: "bridge",
          CheckDuplicate: true,
          Options: { "com.docker.network.bridge.enable_icc": "false" },
          Labels: { [LABEL_MANAGED]: "true" },
        })
        .catch((error) => {
          if (dockerStatus(error) !== 409) throw error; // another process created it meanwhile
        });
    })().catch((error) => {
      networks.delete(docker);
      if (isDockerUnreachable(error)) rethrowDocker(error, "preparing the function network");
      throw error;
    });
    networks.set(docker, ready);
  }
  return ready;
}

export type StartFailure = "image_missing" | "create_failed" | "exited" | "not_answering";

/** A function container could not be started or never answered; carries its last log lines. */
export class ContainerStartError extends BadGatewayError {
  constructor(
    message: string,
    readonly reason: StartFailure,
    readonly logs: string,
  ) {
    super(message);
  }
}

/** The container's create body: hardened, nothing from the host, port on 127.0.0.1 only. */
export function containerSpec(target: RunTarget, extraLabels: Record<string, string>): Docker.ContainerCreateOptions {
  const { limits } = target;
  const memory = Math.round(limits.memoryMb * 1024 * 1024);
  return {
    name: `dartcloud-${target.functionId.slice(0, 8)}-v${target.version}-${randomBytes(4).toString("hex")}`,
    Image: target.imageTag,
    // HOME on the tmpfs: the root fs is read-only and tools like npm write under $HOME.
    Env: [`PORT=${FUNCTION_PORT}`, "HOME=/tmp"],
    ExposedPorts: { [PORT_KEY]: {} },
    Labels: {
      ...extraLabels,
      [LABEL_MANAGED]: "true",
      [LABEL_FUNCTION_ID]: target.functionId,
      [LABEL_VERSION]: String(target.version),
      [LABEL_DEPLOYMENT_ID]: target.deploymentId,
    },
    HostConfig: {
      NetworkMode: FUNCTION_NETWORK,
      PortBindings: { [PORT_KEY]: [{ HostIp: "127.0.0.1", HostPort: "" }] },
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      Memory: memory,
      MemorySwap: memory, // no swap on top of the memory limit
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pidsLimit,
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,nosuid,nodev,size=64m" },
      Binds: [],
      Mounts: [],
      RestartPolicy: { Name: "no" },
      // A tiny init as PID 1 forwards SIGTERM (node as PID 1 ignores it) and reaps zombies.
      Init: true,
      LogConfig: { Type: "json-file", Config: { "max-size": "1m", "max-file": "1" } },
    },
  };
}

export type StartedContainer = { id: string; name: string; port: number };

/** Creates and starts a container for the target; returns its id and published host port. */
export async function createAndStart(
  docker: Docker,
  target: RunTarget,
  extraLabels: Record<string, string>,
): Promise<StartedContainer> {
  await ensureFunctionNetwork(docker);
  const spec = containerSpec(target, extraLabels);
  let container: Docker.Container;
  try {
    container = await docker.createContainer(spec);
  } catch (error) {
    if (dockerStatus(error) === 404) {
      throw new ContainerStartError(
        `The image ${target.imageTag} for version ${target.version} is missing; rebuild or redeploy this version.`,
        "image_missing",
        "",
      );
    }
    if (isDockerUnreachable(error)) rethrowDocker(error, "creating a function container");
    throw new ContainerStartError(
      `Version ${target.version} could not be created: ${dockerMessage(error)}`,
      "create_failed",
      "",
    );
  }
  try {
    await container.start();
    const port = publishedPort(await container.inspect());
    if (!port) throw new Error(`container ${spec.name} has no published port for ${PORT_KEY}`);
    return { id: container.id, name: spec.name!, port };
  } catch (error) {
    if (isDockerUnreachable(error)) rethrowDocker(error, "starting a function container");
    const logs = await lastLogLines(docker, container.id);
    await removeContainer(docker, container.id).catch(() => {});
    throw new ContainerStartError(
      `Version ${target.version} could not be started: ${dockerMessage(error)}${logs ? `\n${logs}` : ""}`,
      "create_failed",
      logs,
    );
  }
}

/** The host port Docker published for the function port, from an inspect result. */
export function publishedPort(info: Docker.ContainerInspectInfo): number | undefined {
  const bindings = info.NetworkSettings?.Ports?.[PORT_KEY];
  const hostPort = bindings?.find((b) => b.HostIp === "127.0.0.1" || b.HostIp === "")?.HostPort;
  const port = Number(hostPort);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Force-removes a container; already gone is fine. Never throws for a missing container. */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true });
  } catch (error) {
    const status = dockerStatus(error);
    if (status === 404 || status === 409) return; // gone, or removal already in progress
    rethrowDocker(error, "removing a function container");
  }
}

/** Stops gracefully (SIGTERM, then SIGKILL after graceSeconds), then removes. */
export async function stopAndRemove(docker: Docker, id: string, graceSeconds: number): Promise<void> {
  try {
    await docker.getContainer(id).stop({ t: graceSeconds });
  } catch (error) {
    const status = dockerStatus(error);
    if (status !== 304 && status !== 404) rethrowDocker(error, "stopping a function container");
  }
  await removeContainer(docker, id);
}

/** The container's last log lines (stdout and stderr interleaved), for error messages. */
export async function lastLogLines(docker: Docker, id: string, lines = 20): Promise<string> {
  try {
    const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown;
    const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? ""));
    return demuxLogs(buffer).trim();
  } catch (error) {
    return `(logs unavailable: ${dockerMessage(error)})`;
  }
}

/** Docker multiplexes stdout/stderr with 8-byte frame headers when there is no TTY. */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if (stream > 2 || buffer[offset + 1] !== 0 || offset + 8 + size > buffer.length) {
      return buffer.toString("utf8"); // not multiplexed after all
    }
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === 0 && buffer.length > 0 ? buffer.toString("utf8") : Buffer.concat(parts).toString("utf8");
}

/** Labelled platform containers (any state), optionally narrowed by extra labels. */
export async function listManagedContainers(
  docker: Docker,
  extraLabels: Record<string, string>,
  more: Record<string, string> = {},
): Promise<Docker.ContainerInfo[]> {
  const label = [`${LABEL_MANAGED}=true`, ...Object.entries({ ...extraLabels, ...more }).map(([k, v]) => `${k}=${v}`)];
  try {
    return await docker.listContainers({ all: true, filters: { label } });
  } catch (error) {
    rethrowDocker(error, "listing function containers");
  }
}
