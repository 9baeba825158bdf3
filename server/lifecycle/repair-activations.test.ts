import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";
import { createTestOwner } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments, functionLogs, functions, type Deployment } from "../db/schema";
import { getBuildQueue } from "../deployments/build-queue";
import { recoverInterruptedWork } from "../deployments/recover";
import { invalidateRoute } from "../deployments/routing";
import { deleteFunction } from "../functions/delete-function";
import { getExecutor } from "../runtime";
import { repairActivations } from "./repair-activations";

let owner: Owner;
let id: string;
let v1: Deployment;
let v2: Deployment;

beforeAll(async () => {
  owner = await createTestOwner("half-switched");
  const first = await deployNode(owner, "half-switched", 1);
  await deployNode(owner, "half-switched", 2);
  id = first.id;
  await getBuildQueue().whenFunctionIdle(id);
  const db = await getDb();
  [v1, v2] = (await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, id))).sort((a, b) => a.version - b.version);
});
afterAll(async () => {
  await deleteFunction(owner, id).catch(() => {});
});

async function state() {
  const db = await getDb();
  const [fn] = await db.select().from(functions).where(eq(functions.id, id));
  const rows = (await db.select().from(functionDeployments).where(eq(functionDeployments.functionId, id))).sort((a, b) => a.version - b.version);
  return { pointer: fn.activeDeploymentId, status: fn.status, rows: rows.map((r) => [r.version, r.status, r.isActive]) };
}

const healthy = () => ({ pointer: v2.id, status: "active", rows: [[1, "inactive", false], [2, "active", true]] });

async function corrupt(changes: { fn?: Partial<typeof functions.$inferInsert>; v1?: Partial<Deployment>; v2?: Partial<Deployment> }) {
  const db = await getDb();
  // Clear the flag first where needed, as the unique index demands.
  if (changes.v2?.isActive === false) await db.update(functionDeployments).set(changes.v2).where(eq(functionDeployments.id, v2.id));
  if (changes.v1) await db.update(functionDeployments).set(changes.v1).where(eq(functionDeployments.id, v1.id));
  if (changes.v2 && changes.v2.isActive !== false) await db.update(functionDeployments).set(changes.v2).where(eq(functionDeployments.id, v2.id));
  if (changes.fn) await db.update(functions).set(changes.fn).where(eq(functions.id, id));
  invalidateRoute(id);
}

describe("repairing interrupted activations", () => {
  it("leaves consistent functions alone", async () => {
    expect(await state()).toEqual(healthy());
    expect(await repairActivations()).not.toContain(id);
  });

  type Corruption = Parameters<typeof corrupt>[0];
  it.each<[string, () => Corruption]>([
    ["the pointer names another version than the is_active row", () => ({ fn: { activeDeploymentId: v1.id } })],
    ["the active row lost its is_active flag", () => ({ v2: { isActive: false } })],
    ["an old row still says active", () => ({ v1: { status: "active" } })],
    ["the function status says inactive", () => ({ fn: { status: "inactive" } })],
    ["the active row says inactive and the pointer is gone", () => ({ v2: { status: "inactive" }, fn: { activeDeploymentId: null } })],
  ])("repairs it when %s", async (_, changes) => {
    await corrupt(changes());
    expect(await state()).not.toEqual(healthy());
    expect(await repairActivations()).toContain(id);
    expect(await state()).toEqual(healthy());
    const db = await getDb();
    const [latest] = (await db.select().from(functionLogs).where(eq(functionLogs.functionId, id))).sort((a, b) => b.id - a.id);
    expect(latest).toMatchObject({ action: "recovery", level: "warn", actor: "system", deploymentId: v2.id });
    expect(latest.message).toMatch(/^Repaired an interrupted activation: v2 is the active version \(found /);
  });

  it("makes none active when the only flagged version cannot serve", async () => {
    await corrupt({ v2: { status: "failed" } });
    expect(await repairActivations()).toContain(id);
    // Nothing serves; the function shows its latest version's failure, as after a failed first deploy.
    expect(await state()).toEqual({ pointer: null, status: "failed", rows: [[1, "inactive", false], [2, "failed", false]] });
    await corrupt({ v2: { status: "active", isActive: true }, fn: { activeDeploymentId: v2.id, status: "active" } });
    expect(await state()).toEqual(healthy());
  });

  it("at start-up, repairs the records and the running container matches them", async () => {
    await corrupt({ fn: { activeDeploymentId: v1.id, status: "inactive" }, v1: { status: "active" } });
    await getExecutor().shutdown();
    (globalThis as { __dartCloudExecutor?: unknown }).__dartCloudExecutor = undefined;
    const result = await recoverInterruptedWork();
    expect(result.repairedActivations).toBeGreaterThanOrEqual(1);
    expect(await state()).toEqual(healthy());
    const response = await invokeFunctionAs(owner, id, "/");
    expect(response.headers.get("x-function-version")).toBe("2");
    expect(getExecutor().listInstances().filter((i) => i.functionId === id).map((i) => i.version)).toEqual([2]);
  });
});
