import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { uniqueEmail } from "./support";

// The dart-cloud CLI as a user runs it: a child process talking to the running app over HTTP.
test.use({ storageState: { cookies: [], origins: [] } });

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const password = "a long enough password";

// Exit codes, as docs/cli.md lists them.
const EXIT = { OK: 0, USAGE: 2, NOT_SIGNED_IN: 3, NOT_FOUND: 4, BUILD_FAILED: 6 };

type CliResult = { code: number; stdout: string; stderr: string };

/** Runs `node bin/dart-cloud.mjs ...args` with only the given DART_CLOUD_* variables. */
function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith("DART_CLOUD_")) delete childEnv[key];
  Object.assign(childEnv, { NO_COLOR: "1" }, env);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/dart-cloud.mjs", ...args],
      { cwd: repoRoot, env: childEnv, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Explains a failed run in the assertion message. */
const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

async function register(request: APIRequestContext, label: string): Promise<string> {
  const email = uniqueEmail(label);
  expect((await request.post("/api/auth/register", { data: { email, password } })).status()).toBe(201);
  return email;
}

/** A node function answering {"version": label} to every request. */
async function nodeFunction(root: string, folder: string, name: string, label: string): Promise<string> {
  const dir = path.join(root, folder);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", scripts: { start: "node server.js" } }));
  await writeFile(
    path.join(dir, "server.js"),
    `require("http").createServer((q, s) => { s.setHeader("content-type", "application/json"); s.end(JSON.stringify({ version: ${JSON.stringify(label)} })); }).listen(process.env.PORT);\n`,
  );
  return dir;
}

let work: string;
test.beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "dart-cloud-cli-e2e-"));
});
test.afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

test("login, deploy two versions, history, rollback, invoke, logs", async ({ request, baseURL }) => {
  test.setTimeout(360_000);
  const email = await register(request, "cli");
  const env = { DART_CLOUD_URL: baseURL!, DART_CLOUD_CONFIG_DIR: path.join(work, "config") };

  const login = await cli(["login"], { ...env, DART_CLOUD_EMAIL: email, DART_CLOUD_PASSWORD: password });
  expect(login.code, show(login)).toBe(EXIT.OK);
  expect(login.stdout).toContain(`Signed in to ${baseURL} as ${email}`);
  expect((await stat(path.join(work, "config", "config.json"))).mode & 0o777).toBe(0o600);

  const who = await cli(["whoami", "--json"], env);
  expect(who.code, show(who)).toBe(EXIT.OK);
  expect(JSON.parse(who.stdout)).toMatchObject({ email, url: baseURL, functions: 0 });

  // v1, for people: the build log streams and the name comes from package.json.
  const v1Dir = await nodeFunction(work, "fn-v1", "hello-cli", "1");
  await mkdir(path.join(v1Dir, "node_modules", "left-out"), { recursive: true });
  await writeFile(path.join(v1Dir, "node_modules", "left-out", "index.js"), "module.exports = 1;\n");
  await symlink("/etc/hostname", path.join(v1Dir, "linked.txt"));
  const v1 = await cli(["deploy", v1Dir], env);
  expect(v1.code, show(v1)).toBe(EXIT.OK);
  expect(v1.stderr).toMatch(/Skipped symlink linked\.txt/);
  expect(v1.stdout).toMatch(/Deploying hello-cli \(node\)/);
  expect(v1.stdout).toMatch(/Step 1\//);
  expect(v1.stdout).toMatch(/hello-cli v1 is live/);

  // v2, for scripts: one JSON document on stdout, the build log on stderr.
  const v2Dir = await nodeFunction(work, "fn-v2", "hello-cli", "2");
  const v2 = await cli(["deploy", v2Dir, "--json"], env);
  expect(v2.code, show(v2)).toBe(EXIT.OK);
  const v2Result = JSON.parse(v2.stdout);
  expect(v2Result).toMatchObject({ name: "hello-cli", version: 2, status: "active", isNewFunction: false });
  expect(v2.stderr).toMatch(/Step 1\//);

  const history = await cli(["history", "hello-cli", "--json"], env);
  expect(history.code, show(history)).toBe(EXIT.OK);
  const versions = JSON.parse(history.stdout).deployments.map((d: { version: number; isActive: boolean; status: string }) => [d.version, d.isActive, d.status]);
  expect(versions).toEqual([
    [2, true, "active"],
    [1, false, "inactive"],
  ]);

  const invokedV2 = await cli(["invoke", "hello-cli"], env);
  expect(invokedV2.code, show(invokedV2)).toBe(EXIT.OK);
  expect(JSON.parse(invokedV2.stdout)).toEqual({ version: "2" });

  // Without a version, rollback picks the previous built one.
  const rollback = await cli(["rollback", "hello-cli"], env);
  expect(rollback.code, show(rollback)).toBe(EXIT.OK);
  expect(rollback.stdout).toMatch(/Rolled hello-cli back to v1 from v2/);
  const list = await cli(["list", "--json"], env);
  expect(list.code, show(list)).toBe(EXIT.OK);
  expect(JSON.parse(list.stdout).functions).toEqual([expect.objectContaining({ id: v2Result.id, name: "hello-cli", activeVersion: 1 })]);

  const invoked = await cli(["invoke", "hello-cli"], env);
  expect(invoked.code, show(invoked)).toBe(EXIT.OK);
  expect(JSON.parse(invoked.stdout)).toEqual({ version: "1" });
  const invokedJson = await cli(["invoke", "hello-cli", "--json", "--data", '{"ping":true}', "--path", "/some/path?x=1"], env);
  expect(invokedJson.code, show(invokedJson)).toBe(EXIT.OK);
  const answer = JSON.parse(invokedJson.stdout);
  expect(answer).toMatchObject({ status: 200, version: 1, body: { version: "1" } });
  expect(answer.headers["x-function-version"]).toBe("1");

  const logs = await cli(["logs", "hello-cli", "--json"], env);
  expect(logs.code, show(logs)).toBe(EXIT.OK);
  const actions = JSON.parse(logs.stdout).logs.map((l: { action: string; version: number | null }) => `${l.action}${l.version ? ` v${l.version}` : ""}`);
  expect(actions[0]).toBe("rollback v1");
  expect(actions).toContain("deploy.started v2");
  const logsHuman = await cli(["logs", "hello-cli"], env);
  expect(logsHuman.stdout).toMatch(/rollback/);

  // Naming a version that does not exist: not found.
  const missingVersion = await cli(["rollback", "hello-cli", "99"], env);
  expect(missingVersion.code, show(missingVersion)).toBe(EXIT.NOT_FOUND);
  expect(missingVersion.stderr).toMatch(/Version 99 of hello-cli does not exist/);
});

test("a failing build exits non-zero with the failing step in its output", async ({ request, baseURL }) => {
  test.setTimeout(240_000);
  const email = await register(request, "cli-fail");
  const env = { DART_CLOUD_URL: baseURL!, DART_CLOUD_CONFIG_DIR: path.join(work, "config") };
  expect((await cli(["login"], { ...env, DART_CLOUD_EMAIL: email, DART_CLOUD_PASSWORD: password })).code).toBe(EXIT.OK);

  const dir = path.join(work, "broken");
  await mkdir(dir);
  await writeFile(path.join(dir, "Dockerfile"), "FROM dartcloud/node-base:local\nRUN echo boom-step && exit 1\n");
  const result = await cli(["deploy", dir, "--name", "broken-cli"], env);
  expect(result.code, show(result)).toBe(EXIT.BUILD_FAILED);
  expect(result.stdout + result.stderr).toContain("boom-step");
  expect(result.stderr).toMatch(/The build of broken-cli v1 failed/);

  const history = await cli(["history", "broken-cli", "--json"], env);
  expect(JSON.parse(history.stdout).deployments).toEqual([expect.objectContaining({ version: 1, status: "failed", isActive: false })]);
});

test("not signed in, not found and revoked tokens get their exit codes", async ({ request, baseURL }) => {
  const email = await register(request, "cli-codes");
  const env = { DART_CLOUD_URL: baseURL!, DART_CLOUD_CONFIG_DIR: path.join(work, "config") };

  const signedOut = await cli(["list"], env);
  expect(signedOut.code, show(signedOut)).toBe(EXIT.NOT_SIGNED_IN);
  expect(signedOut.stderr).toMatch(/Not signed in/);

  const wrongPassword = await cli(["login"], { ...env, DART_CLOUD_EMAIL: email, DART_CLOUD_PASSWORD: "not the password" });
  expect(wrongPassword.code, show(wrongPassword)).toBe(EXIT.NOT_SIGNED_IN);
  expect(wrongPassword.stderr).toMatch(/wrong email or password/);

  expect((await cli(["login"], { ...env, DART_CLOUD_EMAIL: email, DART_CLOUD_PASSWORD: password })).code).toBe(EXIT.OK);
  const notFound = await cli(["invoke", "no-such-function"], env);
  expect(notFound.code, show(notFound)).toBe(EXIT.NOT_FOUND);
  expect(notFound.stderr).toMatch(/Function "no-such-function" was not found/);
  const notFoundJson = await cli(["history", "no-such-function", "--json"], env);
  expect(notFoundJson.code).toBe(EXIT.NOT_FOUND);
  expect(JSON.parse(notFoundJson.stdout)).toMatchObject({ code: "not_found", exitCode: EXIT.NOT_FOUND });

  // logout revokes the token on the server: reusing it through DART_CLOUD_TOKEN is refused.
  const { token } = JSON.parse(await readFile(path.join(work, "config", "config.json"), "utf8"));
  const logout = await cli(["logout", "--json"], env);
  expect(logout.code, show(logout)).toBe(EXIT.OK);
  expect(JSON.parse(logout.stdout)).toMatchObject({ signedOut: true, revoked: true });
  expect((await cli(["whoami"], env)).code).toBe(EXIT.NOT_SIGNED_IN);
  const revoked = await cli(["whoami"], { ...env, DART_CLOUD_TOKEN: token });
  expect(revoked.code, show(revoked)).toBe(EXIT.NOT_SIGNED_IN);
  expect(revoked.stderr).toMatch(/DART_CLOUD_TOKEN is not accepted/);

  const usage = await cli(["deploy", "--bogus"], env);
  expect(usage.code).toBe(EXIT.USAGE);
});
