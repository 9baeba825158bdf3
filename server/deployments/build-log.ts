import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { functionDeployments } from "../db/schema";

const FLUSH_MS = 250;
const MAX_LOG_BYTES = 512 * 1024;

/**
 * Appends build output to the deployment's build_log as it arrives, in small batches, so a
 * client polling the deployment sees the log grow. Stops appending past MAX_LOG_BYTES.
 */
export function createBuildLogWriter(deploymentId: string) {
  let pending = "";
  let written = 0;
  let truncated = false;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const chunk = pending;
    pending = "";
    if (!chunk) return flushing;
    flushing = flushing.then(async () => {
      const db = await getDb();
      await db
        .update(functionDeployments)
        .set({ buildLog: sql`${functionDeployments.buildLog} || ${chunk}` })
        .where(eq(functionDeployments.id, deploymentId));
    }).catch((error: unknown) => console.error("[build-log] append failed:", (error as Error).message));
    return flushing;
  };

  return {
    append(text: string) {
      if (truncated) return;
      if (written + text.length > MAX_LOG_BYTES) {
        text = `${text.slice(0, Math.max(0, MAX_LOG_BYTES - written))}\n[build log truncated at ${MAX_LOG_BYTES / 1024} KiB]\n`;
        truncated = true;
      }
      written += text.length;
      pending += text;
      timer ??= setTimeout(() => void flush(), FLUSH_MS);
    },
    flush,
  };
}
