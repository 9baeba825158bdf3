import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeDb, getDb } from "../db/client";
import { functionDeployments, functions, invocations, users } from "../db/schema";
import { flushInvocations, pendingInvocations, recordInvocation } from "./invocation-recorder";

// Real Postgres (DATABASE_URL from the global setup).

let functionId: string;
let deploymentId: string;

beforeAll(async () => {
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ email: `recorder-${randomUUID()}@example.com`, passwordHash: "x" })
    .returning();
  const [fn] = await db.insert(functions).values({ ownerId: user.id, name: "recorded", runtime: "node" }).returning();
  const [deployment] = await db
    .insert(functionDeployments)
    .values({ functionId: fn.id, version: 1, status: "active", isActive: true })
    .returning();
  functionId = fn.id;
  deploymentId = deployment.id;
});

afterAll(async () => {
  await closeDb();
});

it("buffers invocations and writes them in one batch on flush", async () => {
  recordInvocation({ functionId, deploymentId, version: 1, statusCode: 200, durationMs: 3.6 });
  recordInvocation({ functionId, deploymentId, version: 1, statusCode: 500, durationMs: 12 });
  recordInvocation({ functionId, deploymentId: null, version: 1, statusCode: 504, durationMs: 30_000 });
  expect(pendingInvocations()).toBe(3);

  expect(await flushInvocations()).toBe(3);
  expect(pendingInvocations()).toBe(0);

  const db = await getDb();
  const rows = await db.select().from(invocations).where(eq(invocations.functionId, functionId)).orderBy(invocations.id);
  expect(rows.map((r) => [r.deploymentId, r.version, r.statusCode, r.durationMs])).toEqual([
    [deploymentId, 1, 200, 4],
    [deploymentId, 1, 500, 12],
    [null, 1, 504, 30_000],
  ]);
});

it("drops rows of a function deleted meanwhile without losing the others", async () => {
  recordInvocation({ functionId: randomUUID(), deploymentId: null, version: 7, statusCode: 200, durationMs: 1 });
  recordInvocation({ functionId, deploymentId, version: 1, statusCode: 201, durationMs: 2 });
  expect(await flushInvocations()).toBe(1);
  expect(pendingInvocations()).toBe(0);

  const db = await getDb();
  const rows = await db.select().from(invocations).where(eq(invocations.statusCode, 201));
  expect(rows).toHaveLength(1);
  expect(rows[0].functionId).toBe(functionId);
});

it("flushes on its own within about a second", async () => {
  recordInvocation({ functionId, deploymentId, version: 1, statusCode: 202, durationMs: 5 });
  const db = await getDb();
  const deadline = Date.now() + 5_000;
  let found = 0;
  while (found === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    found = (await db.select().from(invocations).where(eq(invocations.statusCode, 202))).length;
  }
  expect(found).toBe(1);
  expect(pendingInvocations()).toBe(0);
});
