import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Owner } from "../auth/owner";
import { getDb } from "../db/client";
import { functionDeployments } from "../db/schema";
import { NotFoundError } from "../errors";
import { loadOwnedFunction } from "../functions/load-function";
import { parseInput } from "../validation";
import { artifactPresence } from "./artifacts";
import { presentDeployment } from "./present";

const versionSchema = z.coerce
  .number({ error: "The version in the path must be a whole number, like /deployments/3." })
  .int({ error: "The version in the path must be a whole number, like /deployments/3." })
  .positive({ error: "Versions start at 1." });

/** One deployment with its build log. */
export async function getDeployment(owner: Owner, functionId: string, versionParam: string) {
  const version = parseInput(versionSchema, versionParam);
  const db = await getDb();
  const fn = await loadOwnedFunction(db, owner.userId, functionId);
  const [d] = await db
    .select()
    .from(functionDeployments)
    .where(and(eq(functionDeployments.functionId, fn.id), eq(functionDeployments.version, version)));
  if (!d) throw new NotFoundError(`Version ${version} of ${fn.name} does not exist.`);
  const presence = await artifactPresence(fn.id);
  return { ...presentDeployment(d, presence.of(d)), buildLog: d.buildLog };
}
