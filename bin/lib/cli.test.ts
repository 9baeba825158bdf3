import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS, main } from "./cli.mjs";
import { EXIT } from "./errors.mjs";

let configDir: string;
beforeEach(async () => {
  configDir = await mkdtemp(path.join(tmpdir(), "dart-cloud-cli-"));
});
afterEach(async () => {
  await rm(configDir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (c) => out.push(String(c)));
  stderr.on("data", (c) => err.push(String(c)));
  const code = await main({
    argv,
    env: { DART_CLOUD_CONFIG_DIR: configDir, DART_CLOUD_URL: "http://127.0.0.1:9", ...env },
    cwd: configDir,
    io: { stdin, stdout, stderr },
    pollIntervalMs: 10,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("dart-cloud", () => {
  it("lists every command in its help and documents each one's usage", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(EXIT.OK);
    for (const name of Object.keys(COMMANDS)) expect(stdout).toContain(`  ${name}`);
    const deployHelp = await run(["deploy", "--help"]);
    expect(deployHelp.stdout).toMatch(/Usage: dart-cloud deploy \[dir\]/);
    expect(deployHelp.stdout).toMatch(/--no-wait/);
  });

  it("exits 2 with a usage message for bad arguments", async () => {
    expect((await run([])).code).toBe(EXIT.USAGE);
    const unknown = await run(["deplyo"]);
    expect(unknown.code).toBe(EXIT.USAGE);
    expect(unknown.stderr).toMatch(/Unknown command "deplyo"/);
    const missing = await run(["history"]);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toMatch(/Usage: dart-cloud history <function>/);
    expect((await run(["deploy", "--name", "Bad Name", configDir])).code).toBe(EXIT.USAGE);
  });

  it("exits 3 when not signed in, before packing or calling anything", async () => {
    await writeFile(path.join(configDir, "package.json"), '{"name":"fn","scripts":{"start":"node s.js"}}');
    for (const argv of [["list"], ["whoami"], ["deploy", configDir], ["invoke", "fn"], ["rollback", "fn"]]) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(EXIT.NOT_SIGNED_IN);
      expect(result.stderr).toMatch(/Not signed in to http:\/\/127\.0\.0\.1:9.*dart-cloud login/);
    }
  });

  it("does not send a saved token to another server", async () => {
    await writeFile(path.join(configDir, "config.json"), JSON.stringify({ url: "http://127.0.0.1:8", token: "t", email: "a@b.c" }));
    const result = await run(["list"]);
    expect(result.code).toBe(EXIT.NOT_SIGNED_IN);
    expect(result.stderr).toMatch(/you are signed in to http:\/\/127\.0\.0\.1:8/);
  });

  it("reports an unreachable server with exit 7, as JSON on stdout with --json", async () => {
    const result = await run(["list", "--json", "--url", "http://127.0.0.1:1"], { DART_CLOUD_TOKEN: "token" });
    expect(result.code).toBe(EXIT.UNAVAILABLE);
    expect(JSON.parse(result.stdout)).toMatchObject({ code: "unreachable", exitCode: EXIT.UNAVAILABLE });
    expect(result.stderr).toMatch(/Cannot reach the Dart Cloud server at http:\/\/127\.0\.0\.1:1/);
  });

  it("asks for credentials from the environment when not on a terminal", async () => {
    const result = await run(["login"]);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toMatch(/DART_CLOUD_EMAIL and DART_CLOUD_PASSWORD/);
  });

  it("says when a folder has nothing to deploy from", async () => {
    const result = await run(["deploy", configDir], { DART_CLOUD_TOKEN: "token" });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toMatch(/Cannot tell the runtime .* no Dockerfile, pubspec\.yaml or package\.json/);
  });

  it("logs out cleanly when not signed in", async () => {
    const result = await run(["logout"]);
    expect(result.code).toBe(EXIT.OK);
    expect(result.stdout).toMatch(/Not signed in/);
  });
});
