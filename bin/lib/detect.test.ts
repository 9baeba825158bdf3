import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkName, checkRuntime, detectName, detectRuntime, pubspecName, sanitizeName } from "./detect.mjs";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "dart-cloud-detect-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string>) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
  return dir;
}

describe("runtime detection", () => {
  it("prefers Dockerfile, then pubspec.yaml, then package.json", async () => {
    expect(await detectRuntime(await folder("a", { Dockerfile: "FROM x", "pubspec.yaml": "name: a", "package.json": "{}" }))).toBe("dockerfile");
    expect(await detectRuntime(await folder("b", { "pubspec.yaml": "name: b", "package.json": "{}" }))).toBe("dart");
    expect(await detectRuntime(await folder("c", { "package.json": "{}" }))).toBe("node");
    expect(await detectRuntime(await folder("d", { "README.md": "" }))).toBeNull();
  });

  it("accepts only known runtimes from --runtime", () => {
    expect(checkRuntime("node")).toBe("node");
    expect(() => checkRuntime("python")).toThrow(/must be one of dart, node, dockerfile/);
  });
});

describe("function names", () => {
  it("sanitizes any text into ^[a-z][a-z0-9-]{0,62}$", () => {
    expect(sanitizeName("My_Cool Function!")).toBe("my-cool-function");
    expect(sanitizeName("@acme/api-server")).toBe("api-server");
    expect(sanitizeName("2fast")).toBe("fast");
    expect(sanitizeName("hello__world--")).toBe("hello-world");
    expect(sanitizeName("x".repeat(80))).toBe("x".repeat(63));
    expect(sanitizeName("a" + "b".repeat(61) + "-c")).toBe("a" + "b".repeat(61)); // cut at 63, no trailing dash
    expect(sanitizeName("123")).toBeNull();
    expect(sanitizeName("")).toBeNull();
  });

  it("reads the name of a pubspec.yaml", () => {
    expect(pubspecName("name: my_func\nversion: 1.0.0\n")).toBe("my_func");
    expect(pubspecName("description: x\nname: 'quoted' # comment\n")).toBe("quoted");
    expect(pubspecName("dependencies:\n  name: nested\n")).toBeNull();
  });

  it("takes the manifest's name, else the folder's name", async () => {
    expect(await detectName(await folder("n1", { "package.json": '{"name":"@me/Hello-API"}' }), "node")).toEqual({ name: "hello-api", from: "package.json" });
    expect(await detectName(await folder("n2", { "pubspec.yaml": "name: dart_fn\n", "package.json": '{"name":"js"}' }), "dart")).toEqual({ name: "dart-fn", from: "pubspec.yaml" });
    expect(await detectName(await folder("My Folder", { Dockerfile: "FROM x" }), "dockerfile")).toEqual({ name: "my-folder", from: "the folder name" });
    expect(await detectName(await folder("n4", { "package.json": "not json" }), "node")).toEqual({ name: "n4", from: "the folder name" });
  });

  it("rejects an invalid --name with a suggestion instead of changing it", () => {
    expect(checkName("ok-name")).toBe("ok-name");
    expect(() => checkName("Bad_Name")).toThrow(/Try --name bad-name/);
  });
});
