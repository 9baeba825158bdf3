import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";
import { createTestOwner } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { getDocker, LABEL_DEPLOYMENT_ID, LABEL_FUNCTION_ID, LABEL_INSTANCE, LABEL_MANAGED, LABEL_VERSION } from "../build";
import { getDb } from "../db/client";
import { functionDeployments, functions } from "../db/schema";
import { deleteFunction } from "../functions/delete-function";
import { getExecutor } from "../runtime";
import { INTERRUPTED_BUILD, recoverInterruptedWork } from "./recover";

let owner: Owner;
let functionId: string;

beforeAll(async () => {
  owner = await createTestOwner("restarter");
});
afterAll(async () => {
  await deleteFunction(owner, functionId).catch(() => {});
});

/** What a platform restart does to this process's state: a new executor, then start-up recovery. */
async function restartPlatform() {
  await getExecutor().shutdown();
  (globalThis as { __dartCloudExecutor?: unknown }).__dartCloudExecutor = undefined;
  return recoverInterruptedWork();
}

describe("start-up recovery", () => {
  it("adopts the active container, removes an orphan, and fails builds cut off by the restart", async () => {
    const v1 = await deployNode(owner, "survivor", 1);
    functionId = v1.id;
    expect((await invokeFunctionAs(owner, functionId, "/")).status).toBe(200);
    const [running] = getExecutor().listInstances().filter((i) => i.deploymentId === v1.deploymentId);
    expect(running).toBeDefined();

    const db = await getDb();
    const [stuck] = await db
      .insert(functionDeployments)
      .values({ functionId, version: 2, status: "building", actor: owner.actor, buildStartedAt: new Date() })
      .returning();
    await db.update(functions).set({ nextVersion: 3 }).where(eq(functions.id, functionId));

    const [active] = await db.select().from(functionDeployments).where(eq(functionDeployments.id, v1.deploymentId));
    const docker = getDocker();
    const orphan = await docker.createContainer({
      Image: active.imageTag!,
      Labels: { [LABEL_INSTANCE]: process.env.PLATFORM_INSTANCE!, [LABEL_MANAGED]: "true", [LABEL_FUNCTION_ID]: functionId, [LABEL_VERSION]: "7", [LABEL_DEPLOYMENT_ID]: "00000000-0000-4000-8000-000000000007" },
    });
    await orphan.start();

    const result = await restartPlatform();
    expect(result.failedBuilds).toBeGreaterThanOrEqual(1);

    const [failed] = await db.select().from(functionDeployments).where(eq(functionDeployments.id, stuck.id));
    expect(failed).toMatchObject({ status: "failed", error: INTERRUPTED_BUILD });
    await expect(docker.getContainer(orphan.id).inspect()).rejects.toMatchObject({ statusCode: 404 });

    const adopted = getExecutor().listInstances().find((i) => i.deploymentId === v1.deploymentId);
    expect(adopted?.containerId).toBe(running.containerId);
    const response = await invokeFunctionAs(owner, functionId, "/");
    expect(response.headers.get("x-function-version")).toBe("1");
    expect(getExecutor().listInstances().find((i) => i.deploymentId === v1.deploymentId)?.containerId).toBe(running.containerId);
  });
});
