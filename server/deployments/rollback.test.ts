import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode, dockerfileFunction } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";
import { createTestOwner } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { imageExists, removeImage } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functionLogs, functions } from "../db/schema";
import { ConflictError, NotFoundError } from "../errors";
import { deleteFunction } from "../functions/delete-function";
import { getExecutor } from "../runtime";
import { deleteArchive } from "../storage";
import { switchActive } from "./activate";
import { getBuildQueue } from "./build-queue";
import { getDeployment } from "./get-deployment";
import { listAuditLog } from "./list-audit-log";
import { listDeployments } from "./list-deployments";
import { rollbackFunction } from "./rollback";
import { waitForDeployment } from "./wait-for-deployment";

let owner: Owner;
const created: string[] = [];

beforeAll(async () => {
  owner = await createTestOwner("roller");
});
afterAll(async () => {
  await getBuildQueue().idle();
  for (const id of created) await deleteFunction(owner, id).catch(() => {});
});

async function twoVersions(name: string) {
  const v1 = await deployNode(owner, name, 1);
  created.push(v1.id);
  const v2 = await deployNode(owner, name, 2);
  expect(v2.status).toBe("active");
  return { id: v1.id, v1, v2 };
}

async function servedVersion(functionId: string) {
  const response = await invokeFunctionAs(owner, functionId, "/");
  expect(response.status).toBe(200);
  return response.headers.get("x-function-version");
}

async function activeVersions(functionId: string) {
  const db = await getDb();
  const rows = await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, functionId));
  return rows.filter((r) => r.isActive).map((r) => r.version);
}

describe("rollback", () => {
  it("switches back to a warm previous version without starting a container, and forward again", async () => {
    const { id, v1, v2 } = await twoVersions("instant-rollback");
    // The version just replaced is kept warm for the grace period.
    expect(getExecutor().isWarm(v1.deploymentId)).toBe(true);

    const back = await rollbackFunction(owner, id, { version: 1 });
    expect(back).toMatchObject({ version: 1, deploymentId: v1.deploymentId, rebuilt: false, previousVersion: 2 });
    expect(back.message).toBe("Rolled instant-rollback back to v1 from v2");
    expect(await servedVersion(id)).toBe("1");
    expect(await activeVersions(id)).toEqual([1]);

    expect(getExecutor().isWarm(v2.deploymentId)).toBe(true);
    const forward = await rollbackFunction(owner, id, { version: 2 });
    expect(forward.message).toBe("Rolled instant-rollback forward to v2 from v1");
    expect(await servedVersion(id)).toBe("2");

    const history = await listDeployments(owner, id, {});
    expect(history.deployments.map((d) => [d.version, d.status, d.isActive, d.imageExists, d.archiveExists])).toEqual([
      [2, "active", true, true, true],
      [1, "inactive", false, true, true],
    ]);
    const audit = await listAuditLog(owner, id, {});
    expect(audit.logs.filter((l) => l.action === "rollback").map((l) => l.message)).toEqual([forward.message, back.message]);
    expect(audit.logs[0]).toMatchObject({ actor: owner.actor, version: 2 });
  });

  it("rebuilds a removed image from the archive in S3, says so, and serves it", async () => {
    const { id, v1 } = await twoVersions("rebuild-rollback");
    const tag = (await getDeployment(owner, id, "1")).imageTag!;
    await getExecutor().stop(v1.deploymentId);
    await removeImage(tag);
    expect(await imageExists(tag)).toBe(false);

    const result = await rollbackFunction(owner, id, { version: 1 });
    expect(result.rebuilt).toBe(true);
    expect(result.message).toMatch(/rebuilt from the archive/);
    expect(await imageExists(tag)).toBe(true);
    expect(await servedVersion(id)).toBe("1");

    const actions = (await listAuditLog(owner, id, {})).logs.map((l) => l.action);
    expect(actions.slice(0, 3)).toEqual(["rollback", "rebuild.succeeded", "rebuild.started"]);
    expect((await getDeployment(owner, id, "1")).buildLog).toMatch(/Rebuild of v1/);
  });

  it("refuses with 409 and changes nothing when the image and the archive are both gone", async () => {
    const { id, v1 } = await twoVersions("gone-rollback");
    const d1 = await getDeployment(owner, id, "1");
    await getExecutor().stop(v1.deploymentId);
    await removeImage(d1.imageTag!);
    await deleteArchive(d1.s3Key!);
    const error = await rollbackFunction(owner, id, { version: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/archive is missing from storage/);
    expect(await activeVersions(id)).toEqual([2]);
    expect(await servedVersion(id)).toBe("2");
  });

  it("a build that started before a rollback finishes built but inactive, and the rollback stands", async () => {
    const df = { runtime: "dockerfile" };
    const v1 = await deployNode(owner, "race-rollback", 1, { ...df, files: dockerfileFunction(1, "RUN true") });
    created.push(v1.id);
    const id = v1.id;
    await deployNode(owner, "race-rollback", 2, { ...df, files: dockerfileFunction(2, "RUN true") });
    // v3's build takes seconds; the rollback below lands while it runs.
    const slow = await deployNode(owner, "race-rollback", 3, { ...df, wait: false, files: dockerfileFunction(3, "RUN sleep 4") });
    expect(slow.version).toBe(3);
    const rolled = await rollbackFunction(owner, id, { version: 1 });
    expect(rolled.version).toBe(1);
    const settled = await waitForDeployment(slow.deploymentId);
    expect(settled.status).toBe("inactive");
    expect(settled.imageId).not.toBeNull();
    expect(await activeVersions(id)).toEqual([1]);
    expect(await servedVersion(id)).toBe("1");
    const kept = (await listAuditLog(owner, id, {})).logs.find((l) => l.action === "deployment.kept-inactive");
    expect(kept?.message).toMatch(/left it inactive: a rollback happened after it was uploaded/);

    // The owner can roll forward to it.
    await rollbackFunction(owner, id, { version: 3 });
    expect(await servedVersion(id)).toBe("3");
  });

  it("a switch to a version pruned meanwhile (by another process) is refused, changes nothing and stops what it started", async () => {
    const { id, v1 } = await twoVersions("pruned-meanwhile");
    const db = await getDb();
    const [snapshot] = await db.select().from(functionDeployments).where(eq(functionDeployments.id, v1.deploymentId));
    const [fn] = await db.select().from(functions).where(eq(functions.id, id));
    await db.update(functionDeployments).set({ status: "pruned" }).where(eq(functionDeployments.id, v1.deploymentId));
    await expect(switchActive({ fn, target: snapshot, actor: owner.actor, reason: "rollback", message: "stale" })).rejects.toThrow(
      /pruned or failed meanwhile/,
    );
    expect(await activeVersions(id)).toEqual([2]);
    expect(getExecutor().isWarm(v1.deploymentId)).toBe(false);
    expect(await servedVersion(id)).toBe("2");
  });

  it("answers every error case with its own status and message", async () => {
    const { id } = await twoVersions("rollback-errors");
    const failed = await deployNode(owner, "rollback-errors", 3, { runtime: "node", files: { ...dockerfileFunction(3, ""), "package.json": "{\"scripts\":{\"start\":\"node server.js\"},\"dependencies\":{\"left-pad\":\"1.3.0\"}}" } });
    expect(failed.status).toBe("failed");

    await expect(rollbackFunction(owner, id, { version: 99 })).rejects.toThrow("Version 99 of rollback-errors does not exist.");
    await expect(rollbackFunction(owner, id, { version: 2 })).rejects.toThrow("Version 2 of rollback-errors is already active.");
    await expect(rollbackFunction(owner, id, { version: 3 })).rejects.toThrow(/failed to build, so there is nothing to run/);
    await expect(rollbackFunction(owner, id, {})).rejects.toThrow('version is required, e.g. {"version": 1}.');
    await expect(rollbackFunction(owner, id, { version: "one" })).rejects.toThrow(/version must be a whole number/);
    await expect(rollbackFunction(owner, id, { version: 1.5 })).rejects.toThrow(/version must be a whole number/);
    const stranger = await createTestOwner("stranger");
    await expect(rollbackFunction(stranger, id, { version: 1 })).rejects.toThrow(NotFoundError);
    await expect(listDeployments(stranger, id, {})).rejects.toThrow(NotFoundError);
    await expect(getDeployment(stranger, id, "1")).rejects.toThrow(NotFoundError);
    await expect(listAuditLog(stranger, id, {})).rejects.toThrow(NotFoundError);
    expect(await activeVersions(id)).toEqual([2]);

    const db = await getDb();
    const rollbacks = await db.select().from(functionLogs).where(eq(functionLogs.action, "rollback"));
    expect(rollbacks.filter((l) => l.functionId === id)).toEqual([]);
  });
});
