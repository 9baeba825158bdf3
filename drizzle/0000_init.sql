CREATE TABLE IF NOT EXISTS "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "function_deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"function_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"image_tag" text,
	"image_id" text,
	"s3_key" text,
	"archive_sha256" text,
	"archive_size" bigint,
	"image_size" bigint,
	"build_log" text DEFAULT '' NOT NULL,
	"error" text,
	"deployed_by" uuid,
	"actor" text,
	"pinned" boolean DEFAULT false NOT NULL,
	"build_started_at" timestamp with time zone,
	"build_finished_at" timestamp with time zone,
	"activated_at" timestamp with time zone,
	"pruned_at" timestamp with time zone,
	"prune_reason" text,
	"deployed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "function_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"function_id" uuid NOT NULL,
	"deployment_id" uuid,
	"actor" text NOT NULL,
	"level" text DEFAULT 'info' NOT NULL,
	"action" text NOT NULL,
	"message" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "functions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"runtime" text NOT NULL,
	"status" text DEFAULT 'inactive' NOT NULL,
	"active_deployment_id" uuid,
	"next_version" integer DEFAULT 1 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"deleting_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "invocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"function_id" uuid NOT NULL,
	"deployment_id" uuid,
	"version" integer NOT NULL,
	"status_code" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
-- A database from the older single-version design already has "users" and "functions" (with
-- image_tag, s3_key and code): the statements above skip those, the ones below add what they
-- lack, and 0001_upgrade_single_version moves their data onto deployments.
ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "status" text DEFAULT 'inactive' NOT NULL;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "active_deployment_id" uuid;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "next_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "deleting_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'users_email_unique') THEN
		ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE("email");
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'api_tokens_user_id_users_id_fk') THEN
		ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'function_deployments_function_id_functions_id_fk') THEN
		ALTER TABLE "function_deployments" ADD CONSTRAINT "function_deployments_function_id_functions_id_fk" FOREIGN KEY ("function_id") REFERENCES "public"."functions"("id") ON DELETE cascade ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'function_deployments_deployed_by_users_id_fk') THEN
		ALTER TABLE "function_deployments" ADD CONSTRAINT "function_deployments_deployed_by_users_id_fk" FOREIGN KEY ("deployed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'function_logs_function_id_functions_id_fk') THEN
		ALTER TABLE "function_logs" ADD CONSTRAINT "function_logs_function_id_functions_id_fk" FOREIGN KEY ("function_id") REFERENCES "public"."functions"("id") ON DELETE cascade ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'function_logs_deployment_id_function_deployments_id_fk') THEN
		ALTER TABLE "function_logs" ADD CONSTRAINT "function_logs_deployment_id_function_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."function_deployments"("id") ON DELETE set null ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'functions_owner_id_users_id_fk') THEN
		ALTER TABLE "functions" ADD CONSTRAINT "functions_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'functions_active_deployment_id_function_deployments_id_fk') THEN
		ALTER TABLE "functions" ADD CONSTRAINT "functions_active_deployment_id_function_deployments_id_fk" FOREIGN KEY ("active_deployment_id") REFERENCES "public"."function_deployments"("id") ON DELETE set null ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'invocations_function_id_functions_id_fk') THEN
		ALTER TABLE "invocations" ADD CONSTRAINT "invocations_function_id_functions_id_fk" FOREIGN KEY ("function_id") REFERENCES "public"."functions"("id") ON DELETE cascade ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'invocations_deployment_id_function_deployments_id_fk') THEN
		ALTER TABLE "invocations" ADD CONSTRAINT "invocations_deployment_id_function_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."function_deployments"("id") ON DELETE set null ON UPDATE no action;
	END IF;
END $$;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "function_deployments_function_version_uq" ON "function_deployments" USING btree ("function_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "function_deployments_one_active_uq" ON "function_deployments" USING btree ("function_id") WHERE "function_deployments"."is_active";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "function_deployments_history_idx" ON "function_deployments" USING btree ("function_id","version" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "function_logs_function_idx" ON "function_logs" USING btree ("function_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "functions_owner_name_uq" ON "functions" USING btree ("owner_id","name");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "invocations_function_time_idx" ON "invocations" USING btree ("function_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "invocations_function_version_idx" ON "invocations" USING btree ("function_id","version");