import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "./migrate";
import * as schema from "./schema";

const expectedTables = ["api_tokens", "function_deployments", "function_logs", "functions", "invocations", "users"];

/** Inserts an owner, a function and an active deployment; returns the function id. */
async function seedActiveDeployment(db: ReturnType<typeof drizzlePostgres<typeof schema>>) {
  const [user] = await db.insert(schema.users).values({ email: `m-${Math.random()}@example.com`, passwordHash: "x" }).returning();
  const [fn] = await db.insert(schema.functions).values({ ownerId: user.id, name: "hello", runtime: "node" }).returning();
  await db.insert(schema.functionDeployments).values({ functionId: fn.id, version: 1, status: "active", isActive: true });
  return fn.id;
}

describe("migrations on a real Postgres server", () => {
  const client = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema });
  afterAll(() => client.end());

  it("created every table of the data model on the empty database", async () => {
    const rows = await client`select table_name from information_schema.tables where table_schema = 'public' order by 1`;
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(expectedTables));
  });

  it("rejects a second active deployment for the same function", async () => {
    const functionId = await seedActiveDeployment(db);
    await expect(
      db.insert(schema.functionDeployments).values({ functionId, version: 2, status: "active", isActive: true }),
    ).rejects.toMatchObject({ cause: { constraint_name: "function_deployments_one_active_uq" } });
    // Inactive versions are unrestricted.
    await db.insert(schema.functionDeployments).values({ functionId, version: 2, status: "inactive", isActive: false });
  });

  it("rejects a duplicate version of one function", async () => {
    const functionId = await seedActiveDeployment(db);
    await expect(db.insert(schema.functionDeployments).values({ functionId, version: 1 })).rejects.toMatchObject({
      cause: { constraint_name: "function_deployments_function_version_uq" },
    });
  });
});

describe("migrations on embedded PGlite", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "dartcloud-pglite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("apply from scratch, and the partial unique index holds there too", async () => {
    const client = new PGlite(dir);
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder });
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public'",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(expectedTables));

    const functionId = await seedActiveDeployment(db as never);
    await expect(
      db.insert(schema.functionDeployments).values({ functionId, version: 2, isActive: true }),
    ).rejects.toMatchObject({ cause: { message: expect.stringContaining("function_deployments_one_active_uq") } });
    // Running the migrations again is a no-op.
    await migratePglite(db, { migrationsFolder });
    await client.close();
  });
});
