import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeFunctionFiles } from "../../test/fixtures/node-function";
import { createTestOwner, receivedArchive } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { getDocker } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions, functionLogs } from "../db/schema";
import { NotFoundError } from "../errors";
import { deleteFunction } from "../functions/delete-function";
import { updateFunctionSettings } from "../functions/update-settings";
import { archiveInfo, openArchive } from "../storage";
import { getBuildQueue } from "./build-queue";
import { deployVersion } from "./deploy-version";
import { dockerfileFunction } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";

let owner: Owner;
const created: Array<{ owner: Owner; id: string }> = [];

beforeAll(async () => {
  owner = await createTestOwner("deployer");
});

afterAll(async () => {
  await getBuildQueue().idle();
  for (const { owner: o, id } of created) await deleteFunction(o, id).catch(() => {});
});

async function deploy(name: string, version: number | string, opts: { wait?: boolean; files?: Record<string, string>; runtime?: string } = {}) {
  const archive = await receivedArchive(opts.files ?? nodeFunctionFiles({ version }));
  const bytes = await readFile(archive.path);
  const result = await deployVersion(owner, { name, runtime: opts.runtime ?? "node" }, archive, { wait: opts.wait ?? true });
  if (result.isNewFunction) created.push({ owner, id: result.id });
  return { ...result, sha256: createHash("sha256").update(bytes).digest("hex") };
}

async function deploymentsOf(functionId: string) {
  const db = await getDb();
  return db.select().from(functionDeployments).where(eq(functionDeployments.functionId, functionId)).orderBy(functionDeployments.version);
}

describe("versioned deploys", () => {
  it("deploys v1, v2, v3: archives in S3 with their hash, images with tag and labels, the newest active", async () => {
    const v1 = await deploy("versioning", 1);
    expect(v1).toMatchObject({ name: "versioning", version: 1, status: "active", isNewFunction: true });
    const v2 = await deploy("versioning", 2);
    const v3 = await deploy("versioning", 3);
    expect([v2.version, v3.version]).toEqual([2, 3]);
    expect(v2.isNewFunction).toBe(false);

    const rows = await deploymentsOf(v1.id);
    expect(rows.map((r) => [r.version, r.status, r.isActive])).toEqual([
      [1, "inactive", false],
      [2, "inactive", false],
      [3, "active", true],
    ]);
    const docker = getDocker();
    for (const [row, sent] of rows.map((r, i) => [r, [v1, v2, v3][i]] as const)) {
      expect(row.s3Key).toBe(`functions/${v1.id}/v${row.version}/function.tar.gz`);
      expect(row.archiveSha256).toBe(sent.sha256);
      const info = await archiveInfo(row.s3Key!);
      expect(info).toMatchObject({ size: row.archiveSize, sha256: sent.sha256 });
      const stored = await openArchive(row.s3Key!);
      const hash = createHash("sha256");
      for await (const chunk of stored) hash.update(chunk as Buffer);
      expect(hash.digest("hex")).toBe(sent.sha256);

      expect(row.imageTag).toBe(`dart-function-${v1.id}-v${row.version}:latest`);
      const image = await docker.getImage(row.imageTag!).inspect();
      expect(image.Id).toBe(row.imageId);
      expect(image.Config.Labels).toMatchObject({
        "dartcloud.managed": "true",
        "dartcloud.function-id": v1.id,
        "dartcloud.version": String(row.version),
        "dartcloud.deployment-id": row.id,
      });
      expect(row.buildLog).toContain("Step 1/");
    }
    const db = await getDb();
    const [fn] = await db.select().from(functions).where(eq(functions.id, v1.id));
    expect(fn).toMatchObject({ status: "active", activeDeploymentId: v3.deploymentId });

    const answer = await invokeFunctionAs(owner, v1.id, "/");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-function-version")).toBe("3");

    const actions = (await db.select().from(functionLogs).where(eq(functionLogs.functionId, v1.id))).map((l) => l.action);
    expect(actions).toEqual(expect.arrayContaining(["function.created", "deploy.started", "build.succeeded", "deployment.activated"]));
    expect(actions.filter((a) => a === "deployment.activated")).toHaveLength(3);
  });

  it("a failing build fails with the step in its log while the previous version stays active and serving", async () => {
    const good = await deploy("failing-build", "good", { runtime: "dockerfile", files: dockerfileFunction("df", "RUN echo fine") });
    expect(good.status).toBe("active");
    const bad = await deploy("failing-build", "bad", { runtime: "dockerfile", files: dockerfileFunction("df", "RUN echo about-to-fail && exit 1") });
    expect(bad.status).toBe("failed");
    expect(bad.version).toBe(2);

    const [v1, v2] = await deploymentsOf(good.id);
    expect(v1).toMatchObject({ status: "active", isActive: true });
    expect(v2).toMatchObject({ status: "failed", isActive: false });
    expect(v2.error).toMatch(/RUN echo about-to-fail && exit 1/);
    expect(v2.buildLog).toContain("about-to-fail");
    expect(v2.buildLog).toMatch(/returned a non-zero code: 1/);

    const answer = await invokeFunctionAs(owner, good.id, "/");
    expect(answer.headers.get("x-function-version")).toBe("1");
  });

  it("twenty concurrent deploys to one function give twenty distinct versions, every archive, one active", async () => {
    const first = await deploy("concurrent", 0);
    // Keep every version: this test is about allocation and storage, not retention.
    await updateFunctionSettings(owner, first.id, { retention: 0 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => deploy("concurrent", i + 1, { wait: false })));
    expect(new Set(results.map((r) => r.version)).size).toBe(20);
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    await getBuildQueue().idle();

    const rows = await deploymentsOf(first.id);
    expect(rows).toHaveLength(21);
    for (const row of rows) expect(await archiveInfo(row.s3Key!)).not.toBeNull();
    const active = rows.filter((r) => r.isActive);
    expect(active).toHaveLength(1);
    expect(active[0].version).toBe(21);
    expect(rows.filter((r) => r.status === "failed")).toEqual([]);
  }, 240_000);

  it("an archive missing the runtime's files is refused before a row, an object or a version number is used", async () => {
    const v1 = await deploy("no-gaps", 1);
    const archive = await receivedArchive({ "index.js": "console.log('no package.json')" });
    await expect(deployVersion(owner, { functionId: v1.id }, archive)).rejects.toThrow(/package\.json/);
    const v2 = await deploy("no-gaps", 2);
    expect(v2.version).toBe(2);
    expect(await archiveInfo(`functions/${v1.id}/v3/function.tar.gz`)).toBeNull();
    expect((await deploymentsOf(v1.id)).map((d) => d.version)).toEqual([1, 2]);
  });

  it("a deploy by name to a function being deleted is refused, not slipped into it", async () => {
    const doomed = await deploy("being-deleted", 1);
    const db = await getDb();
    await db.update(functions).set({ deletingAt: new Date() }).where(eq(functions.id, doomed.id));
    const archive = await receivedArchive(nodeFunctionFiles({ version: 2 }));
    await expect(deployVersion(owner, { name: "being-deleted", runtime: "node" }, archive)).rejects.toThrow(/is being deleted/);
    expect((await deploymentsOf(doomed.id)).map((d) => d.version)).toEqual([1]);
    expect(await archiveInfo(`functions/${doomed.id}/v2/function.tar.gz`)).toBeNull();
  });

  it("another owner's function answers not found, and nothing is stored", async () => {
    const mine = await deploy("private-fn", 1);
    const intruder = await createTestOwner("intruder");
    const archive = await receivedArchive(nodeFunctionFiles({ version: "evil" }));
    await expect(deployVersion(intruder, { functionId: mine.id }, archive)).rejects.toThrow(NotFoundError);
    const db = await getDb();
    const rows = await db.select().from(functionDeployments).where(and(eq(functionDeployments.functionId, mine.id), eq(functionDeployments.version, 2)));
    expect(rows).toEqual([]);
  });
});
