import Docker from "dockerode";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode } from "../../test/support/deploy";
import { invokeFunctionAs } from "../../test/support/invoke";
import { createTestOwner, receivedArchive } from "../../test/support/owners";
import { nodeFunctionFiles } from "../../test/fixtures/node-function";
import type { Owner } from "../auth/owner";
import { getDocker } from "../build";
import { config } from "../config";
import { getDb } from "../db/client";
import { functionDeployments, functions } from "../db/schema";
import { asAppError, UnavailableError } from "../errors";
import { deleteFunction } from "../functions/delete-function";
import { setS3Endpoint } from "../storage";
import { deployVersion } from "./deploy-version";

// Dependencies going down mid-flight: a clear 503 naming the dependency, nothing half-done,
// and the active version serving whatever can still serve.

let owner: Owner;
let functionId: string;

beforeAll(async () => {
  owner = await createTestOwner("faults");
  functionId = (await deployNode(owner, "fault-tolerant", 1)).id;
});
afterAll(async () => {
  await deleteFunction(owner, functionId).catch(() => {});
});

async function rowsOf(id: string) {
  const db = await getDb();
  return db.select().from(functionDeployments).where(eq(functionDeployments.functionId, id));
}

describe("faults", () => {
  it("S3 down during a deploy: 503 storage, no row, no version used, v1 keeps serving", async () => {
    setS3Endpoint("http://127.0.0.1:1"); // nothing listens there
    try {
      const archive = await receivedArchive(nodeFunctionFiles({ version: 2 }));
      const error = await deployVersion(owner, { functionId }, archive).catch((e) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error).toMatchObject({ dependency: "storage" });
      expect(error.message).toMatch(/S3 storage is unreachable at http:\/\/127\.0\.0\.1:1/);
    } finally {
      setS3Endpoint(undefined);
    }
    expect((await rowsOf(functionId)).map((d) => d.version)).toEqual([1]);
    const db = await getDb();
    const [fn] = await db.select().from(functions).where(eq(functions.id, functionId));
    expect(fn.nextVersion).toBe(2);
    expect((await invokeFunctionAs(owner, functionId, "/")).headers.get("x-function-version")).toBe("1");
    // Once S3 is back, the next deploy takes the next number.
    expect((await deployNode(owner, "fault-tolerant", 2)).version).toBe(2);
  });

  it("Docker down during a build: the deployment fails saying so, and the running version keeps serving", async () => {
    const slot = globalThis as { __dartcloudDocker?: { host: string | undefined; client: Docker } };
    const real = getDocker();
    slot.__dartcloudDocker = { host: config.docker.host, client: new Docker({ socketPath: "/nonexistent/docker.sock" }) };
    let result;
    try {
      result = await deployNode(owner, "fault-tolerant", 3);
    } finally {
      slot.__dartcloudDocker = { host: config.docker.host, client: real };
    }
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/Docker Engine is unreachable/);
    const rows = await rowsOf(functionId);
    expect(rows.filter((d) => d.isActive).map((d) => d.version)).toEqual([2]);
    expect((await invokeFunctionAs(owner, functionId, "/")).headers.get("x-function-version")).toBe("2");
  });

  it("a database that cannot be reached maps to 503 db", async () => {
    const dead = postgres("postgres://postgres@127.0.0.1:1/none", { connect_timeout: 2, max: 1 });
    const error = await dead`select 1`.catch((e) => e);
    await dead.end();
    expect(asAppError(error)).toMatchObject({ code: "unavailable", dependency: "db" });
  });
});
