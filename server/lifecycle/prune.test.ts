import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";
import { createTestOwner } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { imageExists } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functionLogs, type Deployment } from "../db/schema";
import { getBuildQueue } from "../deployments/build-queue";
import { rollbackFunction } from "../deployments/rollback";
import { ConflictError, NotFoundError } from "../errors";
import { deleteFunction } from "../functions/delete-function";
import { updateFunctionSettings } from "../functions/update-settings";
import { archiveInfo, bucketName, resetS3Client, setS3Endpoint, startEmbeddedS3, type EmbeddedS3 } from "../storage";
import { setPinned } from "./pin";
import { pruneFunction } from "./prune";
import { getStorageUsage } from "./storage-usage";

let owner: Owner;
const created: string[] = [];

beforeAll(async () => {
  owner = await createTestOwner("pruner");
});
afterAll(async () => {
  await getBuildQueue().idle();
  for (const id of created) await deleteFunction(owner, id).catch(() => {});
});

/** Deploys versions `from..to` of a node function, each waited for, and lets retention finish. */
async function deployVersions(name: string, from: number, to: number): Promise<string> {
  let id = "";
  for (let v = from; v <= to; v++) {
    const result = await deployNode(owner, name, v);
    expect(result.status, `v${v}`).toBe("active");
    id = result.id;
    if (!created.includes(id)) created.push(id);
  }
  await getBuildQueue().whenFunctionIdle(id);
  return id;
}

async function rowsOf(functionId: string): Promise<Deployment[]> {
  const db = await getDb();
  const rows = await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, functionId));
  return rows.sort((a, b) => a.version - b.version);
}

async function artifactsOf(d: Deployment) {
  return { version: d.version, image: await imageExists(d.imageTag!), archive: (await archiveInfo(d.s3Key!)) !== null };
}

describe("retention", () => {
  it("with N=3 and 6 deploys prunes v1-v3 (images and archives gone, rows kept), and keeps active and pinned versions", async () => {
    const id = await deployVersions("keep-three", 1, 1);
    await updateFunctionSettings(owner, id, { retention: 3 });
    await deployVersions("keep-three", 2, 6);

    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.version, r.status])).toEqual([
      [1, "pruned"],
      [2, "pruned"],
      [3, "pruned"],
      [4, "inactive"],
      [5, "inactive"],
      [6, "active"],
    ]);
    for (const r of rows.slice(0, 3)) {
      expect(r.prunedAt).toBeInstanceOf(Date);
      expect(r.pruneReason).toBe(`Retention keeps the last 3 built versions; v${r.version} was older.`);
      expect(r.imageTag && r.s3Key && r.archiveSha256).toBeTruthy(); // history keeps what it was
    }
    expect(await Promise.all(rows.map(artifactsOf))).toEqual([
      { version: 1, image: false, archive: false },
      { version: 2, image: false, archive: false },
      { version: 3, image: false, archive: false },
      { version: 4, image: true, archive: true },
      { version: 5, image: true, archive: true },
      { version: 6, image: true, archive: true },
    ]);
    const db = await getDb();
    const audit = await db.select().from(functionLogs).where(and(eq(functionLogs.functionId, id), eq(functionLogs.action, "deployment.pruned")));
    expect(audit.map((a) => [a.metadata.version, a.actor, a.level]).sort()).toEqual([
      [1, owner.actor, "info"],
      [2, owner.actor, "info"],
      [3, owner.actor, "info"],
    ]);

    // Rolling back to a pruned version is refused, saying why.
    const refused = await rollbackFunction(owner, id, { version: 2 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toMatch(/^Version 2 of keep-three was pruned by the retention policy on \d{4}-\d{2}-\d{2}: its image and archive are gone\. Deploy it again/);
    await expect(setPinned(owner, id, 2, true)).rejects.toThrow(/already pruned/);

    // Pin v4, make v5 active, then keep only one version: v6 (newest), v5 (active), v4 (pinned) all stay.
    expect(await setPinned(owner, id, "4", true)).toMatchObject({ version: 4, pinned: true, changed: true });
    expect(await setPinned(owner, id, 4, true)).toMatchObject({ changed: false });
    await rollbackFunction(owner, id, { version: 5 });
    await updateFunctionSettings(owner, id, { retention: 1 });
    const kept = await pruneFunction(id, { actor: owner.actor });
    expect(kept).toMatchObject({ retention: 1, pruned: [], cleaned: [], incomplete: [] });
    expect((await rowsOf(id)).map((r) => r.status)).toEqual(["pruned", "pruned", "pruned", "inactive", "active", "inactive"]);

    // Storage usage shows what unpinning v4 would let retention free.
    await setPinned(owner, id, 4, false);
    const usage = await getStorageUsage(owner, id);
    expect(usage.unavailable).toEqual([]);
    const v4 = usage.byVersion.find((v) => v.version === 4)!;
    expect(usage.byVersion.map((v) => [v.version, v.wouldPrune])).toEqual([[6, false], [5, false], [4, true], [3, false], [2, false], [1, false]]);
    expect(v4.archiveBytes).toBe(rows[3].archiveSize);
    // Its own layers only: the base layers are shared (and identical test files may be too).
    expect(v4.imageSize).toBeGreaterThan(v4.imageBytes);
    expect(usage.reclaimableBytes).toBe(v4.archiveBytes + v4.imageBytes);
    expect(usage.archiveBytes).toBe(rows.slice(3).reduce((sum, r) => sum + r.archiveSize!, 0));
    expect(usage.imageBytes).toBeGreaterThanOrEqual(v4.imageBytes);

    const unpinned = await pruneFunction(id, { actor: owner.actor });
    expect(unpinned.pruned.map((p) => p.version)).toEqual([4]);
    expect(unpinned.cleaned).toEqual([{ version: 4, images: [rows[3].imageTag], archive: rows[3].s3Key }]);
    expect(await artifactsOf(rows[3])).toEqual({ version: 4, image: false, archive: false });
    expect((await getStorageUsage(owner, id)).reclaimableBytes).toBe(0);
    const pins = await db.select().from(functionLogs).where(and(eq(functionLogs.functionId, id), eq(functionLogs.deploymentId, rows[3].id)));
    expect(pins.map((p) => p.action)).toEqual(expect.arrayContaining(["deployment.pinned", "deployment.unpinned", "deployment.pruned"]));

    expect((await invokeFunctionAs(owner, id, "/")).headers.get("x-function-version")).toBe("5");
    const stranger = await createTestOwner("stranger");
    await expect(setPinned(stranger, id, 5, true)).rejects.toThrow(NotFoundError);
    await expect(getStorageUsage(stranger, id)).rejects.toThrow(NotFoundError);
    await expect(setPinned(owner, id, 99, true)).rejects.toThrow("Version 99 of keep-three does not exist.");
  });

  describe("when S3 stops in the middle of a prune", () => {
    let s3: EmbeddedS3 | undefined;
    let directory: string;

    afterAll(async () => {
      await s3?.close();
      // Back to the run's shared test S3 server (S3_ENDPOINT).
      resetS3Client();
      await rm(directory, { recursive: true, force: true });
    });

    it("marks first, removes what it can, and the next run finishes without touching anything kept", async () => {
      directory = await mkdtemp(path.join(tmpdir(), "dartcloud-prune-s3-"));
      s3 = await startEmbeddedS3({ directory, port: 0, buckets: [bucketName()] });
      setS3Endpoint(s3.endpoint);

      const id = await deployVersions("prune-interrupted", 1, 1);
      await updateFunctionSettings(owner, id, { retention: 0 });
      await deployVersions("prune-interrupted", 2, 4);
      await updateFunctionSettings(owner, id, { retention: 1 });
      const rows = await rowsOf(id);

      // S3 goes away once v1 is done: v2 and v3 lose their images (Docker is up) but keep their archives.
      const first = await pruneFunction(id, {
        afterVersion: async (version) => {
          if (version === 1) await s3!.close();
        },
      });
      expect(first.pruned.map((p) => p.version)).toEqual([3, 2, 1]);
      expect(first.cleaned).toEqual([
        { version: 1, images: [rows[0].imageTag], archive: rows[0].s3Key },
        { version: 2, images: [rows[1].imageTag], archive: null },
        { version: 3, images: [rows[2].imageTag], archive: null },
      ]);
      expect(first.incomplete.map((i) => i.version)).toEqual([2, 3]);
      expect(first.incomplete[0].error).toMatch(/S3 storage is unreachable/);
      expect((await rowsOf(id)).map((r) => r.status)).toEqual(["pruned", "pruned", "pruned", "active"]);
      // The active version keeps serving meanwhile.
      expect((await invokeFunctionAs(owner, id, "/")).headers.get("x-function-version")).toBe("4");

      // S3 is back (same data): the next run removes exactly the two archives left behind.
      s3 = await startEmbeddedS3({ directory, port: 0, buckets: [bucketName()] });
      setS3Endpoint(s3.endpoint);
      expect(await Promise.all(rows.map(artifactsOf))).toEqual([
        { version: 1, image: false, archive: false },
        { version: 2, image: false, archive: true },
        { version: 3, image: false, archive: true },
        { version: 4, image: true, archive: true },
      ]);
      const second = await pruneFunction(id);
      expect(second).toMatchObject({ pruned: [], incomplete: [] });
      expect(second.cleaned).toEqual([
        { version: 2, images: [], archive: rows[1].s3Key },
        { version: 3, images: [], archive: rows[2].s3Key },
      ]);
      expect(await Promise.all(rows.map(artifactsOf))).toEqual([
        { version: 1, image: false, archive: false },
        { version: 2, image: false, archive: false },
        { version: 3, image: false, archive: false },
        { version: 4, image: true, archive: true },
      ]);
      expect(await pruneFunction(id)).toMatchObject({ pruned: [], cleaned: [], incomplete: [] });
      expect((await invokeFunctionAs(owner, id, "/")).headers.get("x-function-version")).toBe("4");

      await deleteFunction(owner, id);
      created.splice(created.indexOf(id), 1);
    });
  });
});
