import "server-only";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { invocations } from "../db/schema";
import { loadOwnedFunction } from "../functions/load-function";

/** Per-version invocation counts, error rates and latency over the last day, plus the latest calls. */
export async function getInvocationStats(owner: Owner, functionId: string) {
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);
  const since = new Date(Date.now() - 24 * 3600_000);
  const [byVersion, recent] = await Promise.all([
    db
      .select({
        version: invocations.version,
        count: sql<number>`count(*)::int`,
        errors: sql<number>`count(*) filter (where ${invocations.statusCode} >= 500)::int`,
        avgMs: sql<number>`coalesce(avg(${invocations.durationMs}), 0)::int`,
        p95Ms: sql<number>`coalesce(percentile_disc(0.95) within group (order by ${invocations.durationMs}), 0)::int`,
        lastAt: sql<string>`max(${invocations.createdAt})`,
      })
      .from(invocations)
      .where(and(eq(invocations.functionId, fn.id), gt(invocations.createdAt, since)))
      .groupBy(invocations.version)
      .orderBy(desc(invocations.version)),
    db
      .select({
        id: invocations.id,
        version: invocations.version,
        statusCode: invocations.statusCode,
        durationMs: invocations.durationMs,
        createdAt: invocations.createdAt,
      })
      .from(invocations)
      .where(eq(invocations.functionId, fn.id))
      .orderBy(desc(invocations.id))
      .limit(50),
  ]);
  return {
    since: since.toISOString(),
    byVersion: byVersion.map((v) => ({ ...v, lastAt: new Date(v.lastAt).toISOString() })),
    recent: recent.map((r) => ({ ...r, id: String(r.id), createdAt: r.createdAt.toISOString() })),
  };
}
