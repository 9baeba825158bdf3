import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "../db/client";
import { functionDeployments, functions, type Deployment, type FunctionRow } from "../db/schema";
import { functionNotFound } from "../functions/load-function";
import { functionIdSchema } from "../functions/input";
import { resolveSettings } from "../functions/settings";
import { ConflictError, NotFoundError } from "../errors";
import type { RunTarget } from "../runtime";

/** What an invocation needs to know about a function, without touching the database. */
export type Route = {
  functionId: string;
  ownerId: string;
  name: string;
  publicInvoke: boolean;
  target: RunTarget | null;
};

export function runTargetOf(fn: Pick<FunctionRow, "id" | "settings">, d: Pick<Deployment, "id" | "version" | "imageTag">): RunTarget {
  const s = resolveSettings(fn.settings);
  return {
    deploymentId: d.id,
    functionId: fn.id,
    version: d.version,
    imageTag: d.imageTag!,
    limits: {
      memoryMb: s.memoryMb,
      cpus: s.cpus,
      pidsLimit: s.pidsLimit,
      timeoutMs: s.timeoutMs,
      concurrency: s.concurrency,
      queueLimit: s.queueLimit,
      idleTimeoutMs: s.idleTimeoutMs,
    },
  };
}

// The hot path of every invocation reads this cache; switches in this process invalidate it at
// once, and the short TTL bounds staleness when several processes share a database.
const TTL_MS = 2_000;
type Entry = { route: Route; until: number };
const cache = ((globalThis as unknown as { __dartCloudRoutes?: Map<string, Entry> }).__dartCloudRoutes ??= new Map());

export function invalidateRoute(functionId: string): void {
  cache.delete(functionId);
}

export async function resolveRoute(functionId: string): Promise<Route> {
  const hit = cache.get(functionId);
  if (hit && hit.until > Date.now()) return hit.route;
  if (!functionIdSchema.safeParse(functionId).success) throw functionNotFound(functionId);
  const db = await getDb();
  const [row] = await db
    .select({ fn: functions, active: functionDeployments })
    .from(functions)
    .leftJoin(functionDeployments, and(eq(functionDeployments.functionId, functions.id), eq(functionDeployments.isActive, true)))
    .where(and(eq(functions.id, functionId), isNull(functions.deletingAt)))
    .limit(1);
  if (!row) throw functionNotFound(functionId);
  const route: Route = {
    functionId: row.fn.id,
    ownerId: row.fn.ownerId,
    name: row.fn.name,
    publicInvoke: resolveSettings(row.fn.settings).publicInvoke,
    target: row.active?.imageTag ? runTargetOf(row.fn, row.active) : null,
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(functionId, { route, until: Date.now() + TTL_MS });
  return route;
}

/** A specific built version of a function, for testing it before or after a switch. */
export async function resolveVersionTarget(route: Route, version: number): Promise<RunTarget> {
  const db = await getDb();
  const [row] = await db
    .select({ fn: functions, d: functionDeployments })
    .from(functionDeployments)
    .innerJoin(functions, eq(functions.id, functionDeployments.functionId))
    .where(and(eq(functionDeployments.functionId, route.functionId), eq(functionDeployments.version, version)))
    .limit(1);
  if (!row) throw new NotFoundError(`Version ${version} of ${route.name} does not exist.`);
  if (!row.d.imageId || !row.d.imageTag || row.d.status === "failed" || row.d.status === "pruned") {
    throw new ConflictError(`Version ${version} of ${route.name} has no built image (status: ${row.d.status}).`);
  }
  return runTargetOf(row.fn, row.d);
}
