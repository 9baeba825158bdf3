import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
});

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId, t.createdAt)],
);

export const runtimes = ["dart", "node", "dockerfile"] as const;
export type Runtime = (typeof runtimes)[number];

export const functionStatuses = ["building", "active", "inactive", "failed"] as const;
export type FunctionStatus = (typeof functionStatuses)[number];

export const deploymentStatuses = ["queued", "building", "active", "inactive", "failed", "pruned"] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

/** Per-function settings; absent keys fall back to platform defaults (server/functions/settings.ts). */
export type FunctionSettings = {
  /** Keep the last N built versions; 0 keeps all. */
  retention?: number;
  memoryMb?: number;
  cpus?: number;
  pidsLimit?: number;
  timeoutMs?: number;
  concurrency?: number;
  queueLimit?: number;
  idleTimeoutMs?: number;
  publicInvoke?: boolean;
};

export const functions = pgTable(
  "functions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    runtime: text("runtime").$type<Runtime>().notNull(),
    status: text("status").$type<FunctionStatus>().notNull().default("inactive"),
    activeDeploymentId: uuid("active_deployment_id").references((): AnyPgColumn => functionDeployments.id, {
      onDelete: "set null",
    }),
    /** Next version number to hand out; bumped atomically under the row lock. */
    nextVersion: integer("next_version").notNull().default(1),
    settings: jsonb("settings").$type<FunctionSettings>().notNull().default({}),
    /** Set when deletion started, so an interrupted delete can be finished. */
    deletingAt: timestamp("deleting_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("functions_owner_name_uq").on(t.ownerId, t.name)],
);

export const functionDeployments = pgTable(
  "function_deployments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    functionId: uuid("function_id")
      .notNull()
      .references(() => functions.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    status: text("status").$type<DeploymentStatus>().notNull().default("queued"),
    isActive: boolean("is_active").notNull().default(false),
    imageTag: text("image_tag"),
    imageId: text("image_id"),
    s3Key: text("s3_key"),
    archiveSha256: text("archive_sha256"),
    archiveSize: bigint("archive_size", { mode: "number" }),
    imageSize: bigint("image_size", { mode: "number" }),
    buildLog: text("build_log").notNull().default(""),
    error: text("error"),
    deployedBy: uuid("deployed_by").references(() => users.id, { onDelete: "set null" }),
    /** Who deployed it, as shown in history ("alice@example.com" or "alice@example.com (token ci)"). */
    actor: text("actor"),
    pinned: boolean("pinned").notNull().default(false),
    buildStartedAt: timestamp("build_started_at", { withTimezone: true }),
    buildFinishedAt: timestamp("build_finished_at", { withTimezone: true }),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    prunedAt: timestamp("pruned_at", { withTimezone: true }),
    pruneReason: text("prune_reason"),
    deployedAt: timestamp("deployed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("function_deployments_function_version_uq").on(t.functionId, t.version),
    uniqueIndex("function_deployments_one_active_uq").on(t.functionId).where(sql`${t.isActive}`),
    index("function_deployments_history_idx").on(t.functionId, t.version.desc()),
  ],
);

export const functionLogs = pgTable(
  "function_logs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    functionId: uuid("function_id")
      .notNull()
      .references(() => functions.id, { onDelete: "cascade" }),
    deploymentId: uuid("deployment_id").references(() => functionDeployments.id, { onDelete: "set null" }),
    actor: text("actor").notNull(),
    level: text("level").$type<"info" | "warn" | "error">().notNull().default("info"),
    action: text("action").notNull(),
    message: text("message").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("function_logs_function_idx").on(t.functionId, t.id.desc())],
);

export const invocations = pgTable(
  "invocations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    functionId: uuid("function_id")
      .notNull()
      .references(() => functions.id, { onDelete: "cascade" }),
    deploymentId: uuid("deployment_id").references(() => functionDeployments.id, { onDelete: "set null" }),
    version: integer("version").notNull(),
    statusCode: integer("status_code").notNull(),
    durationMs: integer("duration_ms").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("invocations_function_time_idx").on(t.functionId, t.createdAt.desc()),
    index("invocations_function_version_idx").on(t.functionId, t.version),
  ],
);

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type FunctionRow = typeof functions.$inferSelect;
export type Deployment = typeof functionDeployments.$inferSelect;
export type FunctionLog = typeof functionLogs.$inferSelect;
export type Invocation = typeof invocations.$inferSelect;
