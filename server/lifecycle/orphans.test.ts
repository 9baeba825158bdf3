import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";
import { createTestOwner } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { getDocker, imageExists, LABEL_DEPLOYMENT_ID, LABEL_FUNCTION_ID, LABEL_MANAGED, LABEL_VERSION, listManagedImages, removeImage } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functionLogs, functions } from "../db/schema";
import { getBuildQueue } from "../deployments/build-queue";
import { UnavailableError } from "../errors";
import { createFunction } from "../functions/create-function";
import { deleteFunction } from "../functions/delete-function";
import { getFunction } from "../functions/get-function";
import { getExecutor } from "../runtime";
import {
  archiveInfo,
  archiveKey,
  bucketName,
  deleteArchive,
  functionPrefix,
  listKeys,
  putArchive,
  resetS3Client,
  setS3Endpoint,
  startEmbeddedS3,
  type EmbeddedS3,
} from "../storage";
import { findOrphans, repairOrphans } from "./orphans";

let owner: Owner;
let scratch: string;
const created: string[] = [];

beforeAll(async () => {
  owner = await createTestOwner("orphans");
  scratch = await mkdtemp(path.join(tmpdir(), "dartcloud-orphans-"));
});
afterAll(async () => {
  await getBuildQueue().idle();
  for (const id of created) await deleteFunction(owner, id).catch(() => {});
  await rm(scratch, { recursive: true, force: true });
});

async function keysUnder(prefix: string) {
  const keys: string[] = [];
  for await (const { key } of listKeys(prefix)) keys.push(key);
  return keys;
}

async function containersOf(functionId: string) {
  return getDocker().listContainers({ all: true, filters: { label: [`${LABEL_FUNCTION_ID}=${functionId}`] } });
}

async function plantArchive(key: string) {
  const file = path.join(scratch, randomUUID());
  await writeFile(file, "not really an archive");
  await putArchive(key, file, { size: 21, sha256: "" });
}

/** An image with our labels whose deployment exists nowhere, tagged like a real version. */
async function plantImage(functionId: string, deploymentId: string) {
  const docker = getDocker();
  const container = await docker.createContainer({ Image: process.env.NODE_BASE_IMAGE ?? "dartcloud/node-base:local", Cmd: ["node", "-e", ""] });
  try {
    const labels = { [LABEL_MANAGED]: "true", [LABEL_FUNCTION_ID]: functionId, [LABEL_DEPLOYMENT_ID]: deploymentId, [LABEL_VERSION]: "1" };
    await container.commit({
      repo: `dart-function-${functionId}-v1`,
      tag: "latest",
      changes: Object.entries(labels).map(([k, v]) => `LABEL ${k}=${v}`),
    });
  } finally {
    await container.remove({ force: true });
  }
  const image = (await listManagedImages({ functionId }))[0];
  expect(image.labels[LABEL_DEPLOYMENT_ID]).toBe(deploymentId);
  return image;
}

describe("deleting a function", () => {
  let s3: EmbeddedS3 | undefined;
  let directory: string;
  afterAll(async () => {
    await s3?.close();
    resetS3Client(); // back to the run's shared test S3 (S3_ENDPOINT)
    await rm(directory, { recursive: true, force: true });
  });

  it("interrupted by S3 going down, is finished by deleting again and leaves nothing behind", async () => {
    directory = await mkdtemp(path.join(tmpdir(), "dartcloud-delete-s3-"));
    s3 = await startEmbeddedS3({ directory, port: 0, buckets: [bucketName()] });
    setS3Endpoint(s3.endpoint);

    const v1 = await deployNode(owner, "doomed", 1);
    await deployNode(owner, "doomed", 2);
    const id = v1.id;
    await getBuildQueue().whenFunctionIdle(id);
    expect((await invokeFunctionAs(owner, id, "/")).status).toBe(200);
    const db = await getDb();
    const tags = (await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, id))).map((d) => d.imageTag!);

    await s3.close();
    await expect(deleteFunction(owner, id)).rejects.toBeInstanceOf(UnavailableError);
    // Gone for the owner at once; containers and images already removed; archives and rows wait for the rerun.
    await expect(getFunction(owner, id)).rejects.toThrow(/was not found/);
    expect(await containersOf(id)).toEqual([]);
    expect(await Promise.all(tags.map(imageExists))).toEqual([false, false]);
    const [marked] = await db.select().from(functions).where(eq(functions.id, id));
    expect(marked.deletingAt).toBeInstanceOf(Date);

    s3 = await startEmbeddedS3({ directory, port: 0, buckets: [bucketName()] });
    setS3Endpoint(s3.endpoint);
    expect(await keysUnder(functionPrefix(id))).toEqual([archiveKey(id, 1), archiveKey(id, 2)]);
    const midway = await findOrphans({ archiveGraceMs: 0 });
    expect(midway.pendingDeletes).toContain(id);
    expect(midway.archives.filter((a) => a.key.includes(id))).toEqual([]); // its delete owns them

    await deleteFunction(owner, id);
    expect(await keysUnder(functionPrefix(id))).toEqual([]);
    expect(await db.select().from(functions).where(eq(functions.id, id))).toEqual([]);
    expect(await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, id))).toEqual([]);
    expect(await db.select().from(functionLogs).where(eq(functionLogs.functionId, id))).toEqual([]);
    expect(await listManagedImages({ functionId: id })).toEqual([]);
    expect(await containersOf(id)).toEqual([]);
    const after = await findOrphans({ archiveGraceMs: 0 });
    expect(after.pendingDeletes).not.toContain(id);
    expect(after.images.filter((i) => i.functionId === id)).toEqual([]);
    expect(after.archives.filter((a) => a.key.includes(id))).toEqual([]);
    // Deleting it once more is a plain 404.
    await expect(deleteFunction(owner, id)).rejects.toThrow(/was not found/);
  });
});

describe("the orphan check", () => {
  it("finds planted orphans of every kind and repairs exactly those", async () => {
    const v1 = await deployNode(owner, "haunted", 1);
    created.push(v1.id);
    await deployNode(owner, "haunted", 2);
    const id = v1.id;
    await getBuildQueue().whenFunctionIdle(id);
    const db = await getDb();
    const [d1, d2] = (await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, id))).sort((a, b) => a.version - b.version);

    // An image no deployment owns, archives no deployment names, a version whose artifacts
    // vanished, and a delete that never finished.
    const ghostFunction = randomUUID();
    const image = await plantImage(ghostFunction, randomUUID());
    const strayKeys = [archiveKey(ghostFunction, 1), archiveKey(id, 7)];
    for (const key of strayKeys) await plantArchive(key);
    await getExecutor().stop(d1.id); // still warm after the switch: its container holds the image
    await removeImage(d1.imageTag!);
    await deleteArchive(d1.s3Key!);
    const abandoned = await createFunction(owner, { name: "half-deleted", runtime: "node" });
    await db.update(functions).set({ deletingAt: new Date() }).where(eq(functions.id, abandoned.id));

    // Fresh uploads are spared: an archive is stored before its deployment row commits.
    expect((await findOrphans()).archives.filter((a) => strayKeys.includes(a.key))).toEqual([]);

    const report = await findOrphans({ archiveGraceMs: 0 });
    expect(report.unavailable).toEqual([]);
    expect(report.images).toContainEqual(expect.objectContaining({ id: image.id, functionId: ghostFunction, reason: expect.stringMatching(/^its function is not in this database/) }));
    for (const key of strayKeys) expect(report.archives).toContainEqual({ key, size: 21, reason: "no deployment has this archive" });
    expect(report.deployments.filter((d) => d.functionId === id)).toEqual([
      expect.objectContaining({ deploymentId: d1.id, version: 1, missing: ["image", "archive"], repair: "mark-pruned" }),
    ]);
    expect(report.pendingDeletes).toContain(abandoned.id);
    // Nothing that belongs to a live version is called an orphan.
    expect(report.images.filter((i) => i.functionId === id)).toEqual([]);
    expect(report.archives.map((a) => a.key)).not.toContain(d2.s3Key);

    const repaired = await repairOrphans({
      archiveGraceMs: 0,
      only: { images: [image.id], archives: strayKeys, deployments: [d1.id], pendingDeletes: [abandoned.id] },
    });
    expect({ ...repaired, removedArchives: [...repaired.removedArchives].sort() }).toEqual({
      removedImages: [image.id],
      removedArchives: [...strayKeys].sort(),
      markedPruned: [d1.id],
      finishedDeletes: [abandoned.id],
      failed: [],
    });
    expect(await imageExists(image.id)).toBe(false);
    for (const key of strayKeys) expect(await archiveInfo(key)).toBeNull();
    const [pruned] = await db.select().from(functionDeployments).where(eq(functionDeployments.id, d1.id));
    expect(pruned).toMatchObject({ status: "pruned", pruneReason: expect.stringMatching(/vanished/) });
    expect(await db.select().from(functions).where(eq(functions.id, abandoned.id))).toEqual([]);

    const clean = await findOrphans({ archiveGraceMs: 0 });
    expect(clean.images.map((i) => i.id)).not.toContain(image.id);
    expect(clean.archives.filter((a) => a.key.startsWith(functionPrefix(id)) || a.key.includes(ghostFunction))).toEqual([]);
    expect(clean.deployments.filter((d) => d.functionId === id)).toEqual([]);
    expect(clean.pendingDeletes).not.toContain(abandoned.id);
    // The live version was never touched.
    expect(await imageExists(d2.imageTag!)).toBe(true);
    expect(await archiveInfo(d2.s3Key!)).not.toBeNull();
    expect((await invokeFunctionAs(owner, id, "/")).headers.get("x-function-version")).toBe("2");
  });
});
