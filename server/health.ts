import "server-only";
import { sql } from "drizzle-orm";
import { dockerHealth } from "./build/docker";
import { getDb } from "./db/client";
import { storageHealth } from "./storage/s3";

export type DependencyHealth = { ok: true; detail?: string } | { ok: false; error: string };
export type Health = { ok: boolean; db: DependencyHealth; storage: DependencyHealth; docker: DependencyHealth };

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref()),
  ]);
}

async function check(what: string, probe: () => Promise<DependencyHealth>): Promise<DependencyHealth> {
  try {
    return await withTimeout(probe(), 3_000, what);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Probes each dependency separately and in parallel; one being down never hides the others. */
export async function checkHealth(): Promise<Health> {
  const [db, storage, docker] = await Promise.all([
    check("database", async () => {
      const database = await getDb();
      await database.execute(sql`select 1`);
      return { ok: true };
    }),
    check("storage", async () => {
      const result = await storageHealth();
      return result.ok ? { ok: true } : { ok: false, error: result.error };
    }),
    check("docker", async () => {
      const result = await dockerHealth();
      return result.ok ? { ok: true, detail: `Docker ${result.version}` } : { ok: false, error: result.error };
    }),
  ]);
  return { ok: db.ok && storage.ok && docker.ok, db, storage, docker };
}
