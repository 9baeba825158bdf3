import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { functionDeployments, type Deployment } from "../db/schema";
import { getBuildQueue } from "./build-queue";

const SETTLED = new Set(["active", "inactive", "failed", "pruned"]);

/** Waits until a deployment has settled (built and switched, or failed) and returns it. */
export async function waitForDeployment(deploymentId: string, timeoutMs = 15 * 60_000): Promise<Deployment> {
  const db = await getDb();
  const deadline = Date.now() + timeoutMs;
  // The build runs in this process in the common case; otherwise poll the database.
  await getBuildQueue().whenDone(deploymentId);
  for (;;) {
    const [row] = await db.select().from(functionDeployments).where(eq(functionDeployments.id, deploymentId));
    if (!row || SETTLED.has(row.status) || Date.now() > deadline) return row;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
