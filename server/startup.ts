import "server-only";
import { runMigrations } from "./db/migrate";
import { ensureStorage } from "./storage/embedded";

const g = globalThis as unknown as { __dartCloudStarted?: Promise<void> };

/** Start-up work, once per process: the platform is ready to serve when this resolves. */
export function startPlatform(): Promise<void> {
  g.__dartCloudStarted ??= (async () => {
    await runMigrations();
    // Storage being down must not stop the dashboard from serving; deploys will answer 503.
    await ensureStorage().catch((error) => console.error("[startup] storage:", (error as Error).message));
  })();
  return g.__dartCloudStarted;
}
