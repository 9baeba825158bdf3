// Gives the test run a fresh, migrated database of its own on the real Postgres server at
// TEST_POSTGRES_ADMIN_URL (the local one by default), and drops it afterwards. Each run gets
// its own name so concurrent runs on one machine cannot clobber each other.
import postgres from "postgres";

export const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup() {
  // Function builds start FROM the local base image (no registry here); see scripts/base-images.sh.
  process.env.NODE_BASE_IMAGE ??= "dartcloud/node-base:local";
  // This run reconciles only its own containers, whatever else shares the Docker Engine.
  process.env.PLATFORM_INSTANCE ??= `test-${process.pid}`;
  const name = `dartcloud_test_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  process.env.DATABASE_URL = withDatabase(adminUrl, name);
  const { migratePostgresUrl } = await import("../server/db/migrate");
  await migratePostgresUrl(process.env.DATABASE_URL);
  return async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
}
