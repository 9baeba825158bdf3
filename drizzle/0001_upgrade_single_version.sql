-- Upgrades a database created by the older single-version design, where each function held its
-- one build in functions.image_tag, functions.s3_key and functions.code. Each such function gets
-- a version-1 deployment carrying its image tag and archive key (and its code, unchanged, at the
-- end of that deployment's build log), active_deployment_id points at it, and the old columns go.
-- On any other database (fresh, or already upgraded) this does nothing.
DO $$
BEGIN
	IF NOT EXISTS (
		SELECT 1 FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name = 'functions' AND column_name IN ('image_tag', 's3_key', 'code')
	) THEN
		RETURN;
	END IF;

	-- A design that had only some of the three columns: give it the others, empty.
	ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "image_tag" text;
	ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "s3_key" text;
	ALTER TABLE "functions" ADD COLUMN IF NOT EXISTS "code" text;

	-- Dynamic SQL: these statements name columns that exist only in this branch.
	EXECUTE $upgrade$
		INSERT INTO "function_deployments" (
			"function_id", "version", "status", "is_active", "image_tag", "image_id", "s3_key",
			"build_log", "error", "deployed_by", "actor", "build_finished_at", "activated_at", "deployed_at"
		)
		SELECT
			f."id",
			1,
			CASE WHEN f."image_tag" IS NOT NULL THEN 'active' ELSE 'failed' END,
			f."image_tag" IS NOT NULL,
			f."image_tag",
			-- The old design kept no image id; the tag is a reference Docker resolves the same way.
			f."image_tag",
			f."s3_key",
			'Carried over from the single-version design (its status was ' || coalesce(f."status", 'unknown') || ').'
				|| CASE WHEN f."code" IS NOT NULL
					THEN E'\nThe code stored with the function follows this line, unchanged.\n' || f."code"
					ELSE '' END,
			CASE WHEN f."image_tag" IS NULL
				THEN 'Carried over from the single-version design without a built image: deploy it again.' END,
			u."id",
			u."email",
			f."updated_at",
			CASE WHEN f."image_tag" IS NOT NULL THEN f."updated_at" END,
			f."updated_at"
		FROM "functions" f
		LEFT JOIN "users" u ON u."id" = f."owner_id"
		WHERE NOT EXISTS (SELECT 1 FROM "function_deployments" d WHERE d."function_id" = f."id")
	$upgrade$;

	EXECUTE $upgrade$
		INSERT INTO "function_logs" ("function_id", "deployment_id", "actor", "level", "action", "message", "metadata")
		SELECT d."function_id", d."id", 'system', 'info', 'recovery',
			'v1 carried over from the single-version design'
				|| CASE WHEN d."is_active" THEN ' and active (image ' || d."image_tag" || coalesce(', archive ' || d."s3_key", '') || ')'
					ELSE ' without a built image' END,
			jsonb_build_object('version', 1, 'migratedFrom', 'single-version', 'imageTag', d."image_tag", 's3Key', d."s3_key", 'legacyStatus', f."status")
		FROM "function_deployments" d
		JOIN "functions" f ON f."id" = d."function_id"
		WHERE d."version" = 1
	$upgrade$;

	UPDATE "functions" f
	SET
		"active_deployment_id" = CASE WHEN d."is_active" THEN d."id" END,
		"status" = CASE WHEN d."is_active" THEN 'active' ELSE 'failed' END,
		"next_version" = GREATEST(f."next_version", 2)
	FROM "function_deployments" d
	WHERE d."function_id" = f."id" AND d."version" = 1;

	ALTER TABLE "functions" ALTER COLUMN "status" SET DEFAULT 'inactive';
	ALTER TABLE "functions" DROP COLUMN "image_tag";
	ALTER TABLE "functions" DROP COLUMN "s3_key";
	ALTER TABLE "functions" DROP COLUMN "code";
END $$;
