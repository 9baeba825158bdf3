import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { functions, type FunctionRow } from "../db/schema";
import { NotFoundError } from "../errors";
import { functionIdSchema } from "./input";

export function functionNotFound(ref: string): NotFoundError {
  return new NotFoundError(`Function ${ref} was not found.`);
}

/**
 * Loads one of the owner's functions; another owner's function is indistinguishable from a
 * missing one. `forUpdate` takes the row lock that serialises version allocation and switches.
 */
export async function loadOwnedFunction(
  db: Queryable,
  ownerId: string,
  functionId: string,
  options: { forUpdate?: boolean } = {},
): Promise<FunctionRow> {
  if (!functionIdSchema.safeParse(functionId).success) throw functionNotFound(functionId);
  const query = db
    .select()
    .from(functions)
    .where(and(eq(functions.id, functionId), eq(functions.ownerId, ownerId), isNull(functions.deletingAt)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw functionNotFound(functionId);
  return row;
}
