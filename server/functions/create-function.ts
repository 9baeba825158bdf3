import "server-only";
import { z } from "zod";
import type { Owner } from "../auth/owner";
import { getDb, type Queryable } from "../db/client";
import { functions, type FunctionRow, type Runtime } from "../db/schema";
import { writeAudit } from "../deployments/audit";
import { presentFunction } from "../deployments/present";
import { ConflictError } from "../errors";
import { parseInput } from "../validation";
import { functionNameSchema, runtimeSchema } from "./input";

const createSchema = z.object({ name: functionNameSchema, runtime: runtimeSchema });

/** Inserts a function in the given transaction; null when the owner already has one by that name. */
export async function insertFunction(
  tx: Queryable,
  owner: Owner,
  input: { name: string; runtime: Runtime },
): Promise<FunctionRow | null> {
  const [row] = await tx
    .insert(functions)
    .values({ ownerId: owner.userId, name: input.name, runtime: input.runtime })
    .onConflictDoNothing({ target: [functions.ownerId, functions.name] })
    .returning();
  if (!row) return null;
  await writeAudit(tx, {
    functionId: row.id,
    actor: owner.actor,
    action: "function.created",
    message: `Created function ${row.name} (${row.runtime})`,
    metadata: { runtime: row.runtime },
  });
  return row;
}

export async function createFunction(owner: Owner, input: unknown) {
  const parsed = parseInput(createSchema, input);
  const db = await getDb();
  const row = await db.transaction((tx) => insertFunction(tx, owner, parsed));
  if (!row) throw new ConflictError(`You already have a function named ${parsed.name}. Pick another name or deploy a new version to it.`);
  return presentFunction(row, null);
}
