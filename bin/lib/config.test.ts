import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configDir, configPath, normalizeUrl, readConfig, removeConfig, resolveSession, writeConfig } from "./config.mjs";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dart-cloud-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("config location", () => {
  it("uses DART_CLOUD_CONFIG_DIR, then $XDG_CONFIG_HOME/dart-cloud, then ~/.config/dart-cloud", () => {
    expect(configDir({ DART_CLOUD_CONFIG_DIR: "/tmp/x", XDG_CONFIG_HOME: "/xdg" })).toBe("/tmp/x");
    expect(configDir({ XDG_CONFIG_HOME: "/xdg" })).toBe("/xdg/dart-cloud");
    expect(configDir({})).toBe(path.join(homedir(), ".config", "dart-cloud"));
    expect(configPath({ DART_CLOUD_CONFIG_DIR: "/tmp/x" })).toBe("/tmp/x/config.json");
  });
});

describe("stored token", () => {
  it("is written readable by the owner only, read back and removed", async () => {
    const env = { DART_CLOUD_CONFIG_DIR: path.join(dir, "nested") };
    expect(await readConfig(env)).toEqual({});
    const file = await writeConfig(env, { url: "http://127.0.0.1:3000", email: "a@b.c", token: "dc_secret" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readConfig(env)).toMatchObject({ email: "a@b.c", token: "dc_secret" });
    await removeConfig(env);
    expect(await readConfig(env)).toEqual({});
  });

  it("names the file when it is not valid JSON", async () => {
    const env = { DART_CLOUD_CONFIG_DIR: dir };
    await writeConfig(env, {});
    await import("node:fs/promises").then((fs) => fs.writeFile(configPath(env), "{oops"));
    await expect(readConfig(env)).rejects.toThrow(/config\.json is not valid JSON/);
    expect(await readFile(configPath(env), "utf8")).toBe("{oops");
  });
});

describe("session resolution", () => {
  const stored = { url: "http://saved:3000", token: "saved-token", email: "me@x.io" };

  it("takes the URL from --url, DART_CLOUD_URL, the saved config, then the default", () => {
    expect(resolveSession({ flagUrl: "http://flag:1/", env: { DART_CLOUD_URL: "http://env:2" }, stored }).url).toBe("http://flag:1");
    expect(resolveSession({ env: { DART_CLOUD_URL: "http://env:2" }, stored }).url).toBe("http://env:2");
    expect(resolveSession({ env: {}, stored }).url).toBe("http://saved:3000");
    expect(resolveSession({ env: {}, stored: {} }).url).toBe("http://localhost:3000");
  });

  it("prefers DART_CLOUD_TOKEN, and sends a saved token only to the server that issued it", () => {
    expect(resolveSession({ env: { DART_CLOUD_TOKEN: "env-token" }, stored })).toMatchObject({ token: "env-token", tokenSource: "env" });
    expect(resolveSession({ env: {}, stored })).toMatchObject({ token: "saved-token", tokenSource: "config", email: "me@x.io" });
    expect(resolveSession({ env: { DART_CLOUD_URL: "http://other:9" }, stored })).toMatchObject({ token: null, otherServer: "http://saved:3000" });
  });

  it("rejects URLs that are not http(s)", () => {
    expect(() => normalizeUrl("localhost:3000")).toThrow(/http:\/\/ or https:\/\//);
    expect(() => normalizeUrl("not a url")).toThrow(/not a valid server URL/);
  });
});
