import "server-only";
import { and, desc, eq, getTableColumns, lt } from "drizzle-orm";
import { z } from "zod";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments } from "../db/schema";
import { loadOwnedFunction } from "../functions/load-function";
import { parseInput } from "../validation";
import { artifactPresence } from "./artifacts";
import { presentDeployment } from "./present";

const pageSchema = z.object({
  limit: z.coerce.number({ error: "limit must be a number from 1 to 100." }).int().min(1, { error: "limit must be a number from 1 to 100." }).max(100, { error: "limit must be a number from 1 to 100." }).default(20),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, { error: "cursor is not valid; pass the nextCursor of a previous page." })
    .optional(),
});

/** History, newest first, by keyset on version: page cost does not grow with history length. */
export async function listDeployments(owner: Owner, functionId: string, query: { limit?: unknown; cursor?: unknown }) {
  const { limit, cursor } = parseInput(pageSchema, { limit: query.limit ?? undefined, cursor: query.cursor ?? undefined });
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);
  // Everything but the build log, which can be large and is served by get-deployment.
  const { buildLog: _buildLog, ...columns } = getTableColumns(functionDeployments);
  const rows = await db
    .select(columns)
    .from(functionDeployments)
    .where(and(eq(functionDeployments.functionId, fn.id), cursor ? lt(functionDeployments.version, Number(cursor)) : undefined))
    .orderBy(desc(functionDeployments.version))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const presence = await artifactPresence(fn.id);
  return {
    deployments: page.map((d) => presentDeployment(d, presence.of(d))),
    nextCursor: rows.length > limit ? String(page[page.length - 1].version) : null,
  };
}
