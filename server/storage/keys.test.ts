import { describe, expect, it } from "vitest";
import { archiveKey, functionPrefix, parseArchiveKey } from "./keys";

const id = "4f1c2a9e-0b7d-4c55-9a1e-6f3b2d8c7e10";

describe("S3 key layout", () => {
  it("names one archive per function version", () => {
    expect(archiveKey(id, 3)).toBe(`functions/${id}/v3/function.tar.gz`);
    expect(functionPrefix(id)).toBe(`functions/${id}/`);
    expect(archiveKey(id, 12).startsWith(functionPrefix(id))).toBe(true);
  });

  it("parses an archive key back to its function and version", () => {
    expect(parseArchiveKey(archiveKey(id, 42))).toEqual({ functionId: id, version: 42 });
  });

  it("does not parse keys outside the layout", () => {
    for (const key of [
      `functions/${id}/v0/function.tar.gz`,
      `functions/${id}/v01/function.tar.gz`,
      `functions/${id}/v1/other.tar.gz`,
      `functions/${id}/v1/function.tar.gz.bak`,
      `functions/${id}/extra/v1/function.tar.gz`,
      `functions//v1/function.tar.gz`,
      `other/${id}/v1/function.tar.gz`,
    ]) {
      expect(parseArchiveKey(key), key).toBeNull();
    }
  });

  it("refuses ids and versions that would break the layout", () => {
    expect(() => archiveKey("a/b", 1)).toThrow(/function id/);
    expect(() => archiveKey("", 1)).toThrow(/function id/);
    expect(() => archiveKey(id, 0)).toThrow(/version/);
    expect(() => archiveKey(id, 1.5)).toThrow(/version/);
    expect(() => functionPrefix("")).toThrow(/function id/);
  });
});
