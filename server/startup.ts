import "server-only";
import { runMigrations } from "./db/migrate";
import { recoverInterruptedWork } from "./deployments/recover";
import { finishPendingDeletes } from "./functions/delete-function";
import { pruneAll } from "./lifecycle/prune";
import { flushInvocations, getExecutor } from "./runtime";
import { ensureStorage } from "./storage";

const g = globalThis as unknown as { __dartCloudStarted?: Promise<void> };

/** Start-up work, once per process: the platform is ready to serve when this resolves. */
export function startPlatform(): Promise<void> {
  g.__dartCloudStarted ??= (async () => {
    await runMigrations();
    // A dependency being down must not stop the dashboard from serving: the affected
    // operations answer 503 naming it, and /api/health shows it.
    await ensureStorage().catch((error: unknown) => console.error("[startup] storage:", (error as Error).message));
    try {
      const recovered = await recoverInterruptedWork();
      if (recovered.failedBuilds || recovered.adopted || recovered.removed) {
        console.log(`[startup] recovery: ${recovered.failedBuilds} interrupted build(s) marked failed, ${recovered.adopted} container(s) adopted, ${recovered.removed} removed`);
      }
      await finishPendingDeletes();
    } catch (error) {
      console.error("[startup] recovery incomplete:", (error as Error).message);
    }
    // Retention in the background: finishes prunes a restart or an outage cut short.
    void pruneAll()
      .then((r) => {
        if (r.pruned || r.cleaned || r.incomplete.length || r.failed.length) {
          console.log(`[startup] retention: ${r.pruned} version(s) pruned, ${r.cleaned} cleaned up, ${r.incomplete.length + r.failed.length} function(s) left for the next run`);
        }
      })
      .catch((error: unknown) => console.error("[startup] retention:", (error as Error).message));
    installShutdownHooks();
  })();
  return g.__dartCloudStarted;
}

function installShutdownHooks() {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    // Invocation records are buffered; write them before leaving. Containers keep running and
    // are adopted by the next start.
    void Promise.race([flushInvocations(), new Promise((resolve) => setTimeout(resolve, 3_000))])
      .then(() => getExecutor().shutdown())
      .finally(() => process.kill(process.pid, signal));
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, close);
}
