import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments, functionLogs } from "../db/schema";
import { loadOwnedFunction } from "../functions/load-function";
import { parseInput } from "../validation";

const pageSchema = z.object({
  limit: z.coerce.number({ error: "limit must be a number from 1 to 200." }).int().min(1).max(200).default(50),
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, { error: "cursor is not valid; pass the nextCursor of a previous page." }).optional(),
});

/** The function's audit trail, newest first, keyset-paginated by id. */
export async function listAuditLog(owner: Owner, functionId: string, query: { limit?: unknown; cursor?: unknown }) {
  const { limit, cursor } = parseInput(pageSchema, { limit: query.limit ?? undefined, cursor: query.cursor ?? undefined });
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);
  const rows = await db
    .select({ log: functionLogs, version: functionDeployments.version })
    .from(functionLogs)
    .leftJoin(functionDeployments, eq(functionDeployments.id, functionLogs.deploymentId))
    .where(and(eq(functionLogs.functionId, fn.id), cursor ? lt(functionLogs.id, Number(cursor)) : undefined))
    .orderBy(desc(functionLogs.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    logs: page.map(({ log, version }) => ({
      id: String(log.id),
      action: log.action,
      level: log.level,
      message: log.message,
      actor: log.actor,
      deploymentId: log.deploymentId,
      version,
      metadata: log.metadata,
      createdAt: log.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1].log.id) : null,
  };
}
