import "server-only";
import path from "node:path";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { config, ensureDataDir } from "../config";
import * as schema from "./schema";

// Both drivers expose the same Drizzle query builder; the app is written against the
// postgres-js flavour and PGlite is adapted to it (the differences are in the result HKT only).
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that can run a query: the database or a transaction. */
export type Queryable = Db | Tx;

type Handle = { db: Db; close: () => Promise<void>; driver: "postgres" | "pglite" };

// Next.js may load this module in several bundles; one handle per process lives on globalThis.
const g = globalThis as unknown as { __dartCloudDb?: Promise<Handle> };

async function open(): Promise<Handle> {
  if (config.databaseUrl) {
    const client = postgres(config.databaseUrl, {
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      onnotice: () => {},
      connect_timeout: 5,
    });
    return { db: drizzlePostgres(client, { schema }), close: () => client.end({ timeout: 5 }), driver: "postgres" };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  const client = new PGlite(path.join(ensureDataDir(), "pglite"));
  await client.waitReady;
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    close: () => client.close(),
    driver: "pglite",
  };
}

export function getDbHandle(): Promise<Handle> {
  g.__dartCloudDb ??= open().catch((error) => {
    g.__dartCloudDb = undefined;
    throw error;
  });
  return g.__dartCloudDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = g.__dartCloudDb;
  g.__dartCloudDb = undefined;
  if (handle) await (await handle).close();
}
