import "server-only";
import { eq } from "drizzle-orm";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functions } from "../db/schema";
import { writeAudit } from "../deployments/audit";
import { presentFunction } from "../deployments/present";
import { invalidateRoute } from "../deployments/routing";
import { parseInput } from "../validation";
import { loadOwnedFunction } from "./load-function";
import { settingsSchema } from "./settings";

/** Changes some of a function's settings; limits apply to containers started from now on. */
export async function updateFunctionSettings(owner: Owner, functionId: string, input: unknown) {
  const changes = parseInput(settingsSchema, input);
  const db = await getDb();
  const updated = await db.transaction(async (tx) => {
    const fn = await loadOwnedFunction(tx, owner.userId, functionId, { forUpdate: true });
    const [row] = await tx
      .update(functions)
      .set({ settings: { ...fn.settings, ...changes }, updatedAt: new Date() })
      .where(eq(functions.id, fn.id))
      .returning();
    await writeAudit(tx, {
      functionId: fn.id,
      actor: owner.actor,
      action: "settings.updated",
      message: `Changed settings: ${Object.entries(changes).map(([k, v]) => `${k}=${v}`).join(", ") || "nothing"}`,
      metadata: { changes },
    });
    return row;
  });
  invalidateRoute(updated.id);
  return presentFunction(updated, null);
}
