import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgresUrl } from "./migrate";

// The older single-version design, as its databases look in the wild: no migrations table, no
// deployments; each function holds its one build in image_tag, s3_key and code.
const LEGACY_SCHEMA = `
  CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE functions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name text NOT NULL,
    runtime text NOT NULL,
    status text NOT NULL DEFAULT 'building',
    image_tag text,
    s3_key text,
    code text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
  );
`;

type LegacyFunction = { name: string; runtime: string; status: string; image_tag: string | null; s3_key: string | null; code: string | null };

const legacyFunctions: LegacyFunction[] = [
  { name: "hello", runtime: "dart", status: "active", image_tag: "dart-function-hello:latest", s3_key: "functions/hello/function.tar.gz", code: "void main() {\n  print('hi ✓');\n}\n" },
  { name: "api", runtime: "node", status: "active", image_tag: "dart-function-api:latest", s3_key: "functions/api/function.tar.gz", code: null },
  // Quotes, backslashes and a line that looks like the marker must all survive unchanged.
  { name: "tricky", runtime: "dockerfile", status: "active", image_tag: "dart-function-tricky:v9", s3_key: null, code: "it's \\n not a newline\nThe code stored with the function follows this line, unchanged.\n" },
  { name: "broken", runtime: "node", status: "failed", image_tag: null, s3_key: "functions/broken/function.tar.gz", code: "syntax error(" },
];

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `dartcloud_legacy_${process.pid}`;
const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
let legacy: ReturnType<typeof postgres>;
const ids = new Map<string, string>();
const emails = new Map<string, string>();

beforeAll(async () => {
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  legacy = postgres(dbUrl, { max: 1, onnotice: () => {} });
  await legacy.unsafe(LEGACY_SCHEMA);
  const [alice] = await legacy`insert into users (email, password_hash) values ('alice@example.com', 'scrypt$alice') returning id`;
  const [bob] = await legacy`insert into users (email, password_hash) values ('bob@example.com', 'scrypt$bob') returning id`;
  for (const [i, f] of legacyFunctions.entries()) {
    const owner = i % 2 === 0 ? alice : bob;
    const [row] = await legacy`
      insert into functions (owner_id, name, runtime, status, image_tag, s3_key, code, updated_at)
      values (${owner.id}, ${f.name}, ${f.runtime}, ${f.status}, ${f.image_tag}, ${f.s3_key}, ${f.code}, now() - interval '1 day')
      returning id`;
    ids.set(f.name, row.id);
    emails.set(f.name, i % 2 === 0 ? "alice@example.com" : "bob@example.com");
  }
});

afterAll(async () => {
  await legacy?.end();
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
});

describe("upgrading a database of the single-version design", () => {
  it("gives every function a version-1 deployment, points at it, drops the old columns and loses nothing", async () => {
    await migratePostgresUrl(dbUrl);

    const columns = await legacy`select column_name from information_schema.columns where table_schema = 'public' and table_name = 'functions'`;
    const names = columns.map((c) => c.column_name);
    expect(names).not.toEqual(expect.arrayContaining(["image_tag"]));
    expect(names.filter((n) => ["image_tag", "s3_key", "code"].includes(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(["active_deployment_id", "next_version", "settings", "deleting_at"]));

    const users = await legacy`select email, password_hash from users order by email`;
    expect(users).toEqual([
      { email: "alice@example.com", password_hash: "scrypt$alice" },
      { email: "bob@example.com", password_hash: "scrypt$bob" },
    ]);

    for (const f of legacyFunctions) {
      const id = ids.get(f.name)!;
      const [fn] = await legacy`select * from functions where id = ${id}`;
      const deployments = await legacy`select * from function_deployments where function_id = ${id}`;
      expect(deployments, f.name).toHaveLength(1);
      const [d] = deployments;
      expect(d, f.name).toMatchObject({ version: 1, image_tag: f.image_tag, s3_key: f.s3_key, actor: emails.get(f.name), deployed_by: fn.owner_id });
      expect(fn, f.name).toMatchObject({ name: f.name, runtime: f.runtime, next_version: 2, deleting_at: null, settings: {} });
      // The code is kept verbatim at the end of the version's build log, after the marker line.
      const marker = "\nThe code stored with the function follows this line, unchanged.\n";
      const log: string = d.build_log;
      expect(log.startsWith(`Carried over from the single-version design (its status was ${f.status}).`)).toBe(true);
      expect(f.code === null ? !log.includes(marker) : log.slice(log.indexOf(marker) + marker.length) === f.code, f.name).toBe(true);

      if (f.image_tag) {
        expect(d).toMatchObject({ status: "active", is_active: true, image_id: f.image_tag, error: null });
        expect(fn).toMatchObject({ status: "active", active_deployment_id: d.id });
      } else {
        expect(d).toMatchObject({ status: "failed", is_active: false });
        expect(d.error).toMatch(/without a built image: deploy it again/);
        expect(fn).toMatchObject({ status: "failed", active_deployment_id: null });
      }
      const audit = await legacy`select action, actor, metadata from function_logs where function_id = ${id}`;
      expect(audit).toEqual([{ action: "recovery", actor: "system", metadata: expect.objectContaining({ migratedFrom: "single-version", imageTag: f.image_tag, s3Key: f.s3_key, legacyStatus: f.status }) }]);
    }
  });

  it("ends with the same constraints as a fresh database, and a second run changes nothing", async () => {
    await migratePostgresUrl(dbUrl);
    expect(await legacy`select count(*)::int as n from function_deployments`).toEqual([{ n: legacyFunctions.length }]);
    const applied = await legacy`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied[0].n).toBe(2);

    const fresh = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const indexesOf = (sql: ReturnType<typeof postgres>) =>
        sql`select indexname from pg_indexes where schemaname = 'public' and indexname not like '%_pkey' and indexname not like '%_key' order by 1`;
      expect((await indexesOf(legacy)).map((r) => r.indexname)).toEqual(expect.arrayContaining((await indexesOf(fresh)).map((r) => r.indexname)));
      const columnsOf = (sql: ReturnType<typeof postgres>) =>
        sql`select table_name, column_name, data_type, is_nullable from information_schema.columns where table_schema = 'public' order by 1, 2`;
      expect(await columnsOf(legacy)).toEqual(await columnsOf(fresh));
    } finally {
      await fresh.end();
    }

    // The constraints of the new design hold on the upgraded data: one active version per function.
    const id = ids.get("hello")!;
    await expect(legacy`insert into function_deployments (function_id, version, status, is_active) values (${id}, 2, 'active', true)`).rejects.toMatchObject({
      constraint_name: "function_deployments_one_active_uq",
    });
  });
});
