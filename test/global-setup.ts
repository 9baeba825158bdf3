// Starts the real services the integration tests talk to: a fresh Postgres database on the
// server at DATABASE_URL (or the local one), migrated; see README "Tests".
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
  const name = process.env.TEST_DATABASE_NAME ?? "dartcloud_test";
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  process.env.DATABASE_URL = withDatabase(adminUrl, name);
  const { migratePostgresUrl } = await import("../server/db/migrate");
  await migratePostgresUrl(process.env.DATABASE_URL);
}
