import "server-only";
import path from "node:path";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getDbHandle } from "./client";

export const migrationsFolder = path.join(process.cwd(), "drizzle");

// Arbitrary constant: serialises migration runs of several processes on one database.
const MIGRATION_LOCK = 727_001;

/** Applies pending migrations to a Postgres database, holding an advisory lock meanwhile. */
export async function migratePostgresUrl(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Applies pending migrations to whichever database the app is configured for. */
export async function runMigrations(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) return migratePostgresUrl(url);
  const handle = await getDbHandle();
  const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
  // PGlite is a single connection owned by this process: no lock needed.
  await migratePglite(handle.db as never, { migrationsFolder });
}
