import { describe, expect, it } from "vitest";
import { compileRule, createIgnoreMatcher, isIgnoredBy, parseIgnore } from "./ignore.mjs";

const ignored = (patterns: string, file: string, isDir = false) => isIgnoredBy(parseIgnore(patterns), file, isDir);

describe(".dartcloudignore patterns", () => {
  it("matches a name without a slash at any depth", () => {
    expect(ignored("*.log", "debug.log")).toBe(true);
    expect(ignored("*.log", "a/b/debug.log")).toBe(true);
    expect(ignored("*.log", "debug.log.txt")).toBe(false);
    expect(ignored("secret.txt", "config/secret.txt")).toBe(true);
  });

  it("anchors a pattern with a leading or inner slash at the root", () => {
    expect(ignored("/todo.txt", "todo.txt")).toBe(true);
    expect(ignored("/todo.txt", "docs/todo.txt")).toBe(false);
    expect(ignored("docs/*.md", "docs/a.md")).toBe(true);
    expect(ignored("docs/*.md", "docs/sub/a.md")).toBe(false);
    expect(ignored("docs/*.md", "other/docs/a.md")).toBe(false);
  });

  it("matches folders only when the pattern ends with a slash", () => {
    expect(ignored("tmp/", "tmp", true)).toBe(true);
    expect(ignored("tmp/", "src/tmp", true)).toBe(true);
    expect(ignored("tmp/", "tmp", false)).toBe(false);
  });

  it("supports **, ?, character classes and escapes", () => {
    expect(ignored("**/fixtures", "a/b/fixtures", true)).toBe(true);
    expect(ignored("**/fixtures", "fixtures", true)).toBe(true);
    expect(ignored("a/**/z.txt", "a/z.txt")).toBe(true);
    expect(ignored("a/**/z.txt", "a/b/c/z.txt")).toBe(true);
    expect(ignored("logs/**", "logs/x/y.txt")).toBe(true);
    expect(ignored("file?.txt", "file1.txt")).toBe(true);
    expect(ignored("file?.txt", "file10.txt")).toBe(false);
    expect(ignored("v[0-9].js", "v7.js")).toBe(true);
    expect(ignored("v[!0-9].js", "v7.js")).toBe(false);
    expect(ignored("\\#notes", "#notes")).toBe(true);
    expect(ignored("a.b", "axb")).toBe(false);
  });

  it("skips comments and blank lines; the last match wins, and ! re-includes", () => {
    expect(parseIgnore("# comment\n\n   \n*.log\n")).toHaveLength(1);
    expect(ignored("*.log\n!keep.log", "keep.log")).toBe(false);
    expect(ignored("*.log\n!keep.log", "drop.log")).toBe(true);
    expect(ignored("!keep.log\n*.log", "keep.log")).toBe(true);
    expect(compileRule("!important.txt")?.negated).toBe(true);
  });
});

describe("the packer's matcher", () => {
  it("always ignores .git, node_modules and .dart_tool, even when re-included", () => {
    const isIgnored = createIgnoreMatcher({ runtime: "node", ignoreFileText: "!node_modules/\n!.git" });
    expect(isIgnored("node_modules", true)).toBe(true);
    expect(isIgnored("packages/a/node_modules", true)).toBe(true);
    expect(isIgnored(".git", true)).toBe(true);
    expect(isIgnored(".dart_tool", true)).toBe(true);
    expect(isIgnored("src/index.js", false)).toBe(false);
  });

  it("skips dart build output but keeps node's dist/ and build/, which the image does not rebuild", () => {
    const dart = createIgnoreMatcher({ runtime: "dart" });
    expect(dart("build", true)).toBe(true);
    expect(dart("lib/build", true)).toBe(false);
    const node = createIgnoreMatcher({ runtime: "node" });
    expect(node("build", true)).toBe(false);
    expect(node("dist", true)).toBe(false);
    expect(node(".next/cache", true)).toBe(true);
  });

  it("lets .dartcloudignore re-include a default", () => {
    expect(createIgnoreMatcher({ runtime: "dart", ignoreFileText: "!/build/" })("build", true)).toBe(false);
  });
});
