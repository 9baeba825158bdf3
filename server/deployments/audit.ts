import "server-only";
import type { Queryable } from "../db/client";
import { functionLogs } from "../db/schema";

/** Everything the audit trail records; one row per state change, in the change's transaction. */
export type AuditAction =
  | "function.created"
  | "deploy.started"
  | "build.succeeded"
  | "build.failed"
  | "deployment.activated"
  | "deployment.kept-inactive"
  | "rollback"
  | "rebuild.started"
  | "rebuild.succeeded"
  | "rebuild.failed"
  | "deployment.pruned"
  | "deployment.pinned"
  | "deployment.unpinned"
  | "settings.updated"
  | "function.deleted"
  | "recovery";

export type AuditEntry = {
  functionId: string;
  deploymentId?: string | null;
  actor: string;
  action: AuditAction;
  message: string;
  level?: "info" | "warn" | "error";
  metadata?: Record<string, unknown>;
};

export async function writeAudit(db: Queryable, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(functionLogs).values(
    entries.map((e) => ({
      functionId: e.functionId,
      deploymentId: e.deploymentId ?? null,
      actor: e.actor,
      action: e.action,
      level: e.level ?? "info",
      message: e.message,
      metadata: e.metadata ?? {},
    })),
  );
}

/** The actor for work the platform does by itself (recovery, retention). */
export const SYSTEM_ACTOR = "system";
