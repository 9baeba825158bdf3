import { describe, expect, it } from "vitest";
import { activeVersionOf, previousBuiltVersion } from "./versions.mjs";

const d = (version: number, status: string, isActive = status === "active") => ({ version, status, isActive });

describe("the version rollback picks by default", () => {
  it("is the newest built version older than the active one", () => {
    expect(previousBuiltVersion([d(3, "active"), d(2, "inactive"), d(1, "inactive")], 3)).toBe(2);
  });

  it("skips failed, pruned, queued and building versions", () => {
    expect(previousBuiltVersion([d(5, "active"), d(4, "failed"), d(3, "pruned"), d(2, "building"), d(1, "inactive")], 5)).toBe(1);
  });

  it("ignores newer versions after a rollback", () => {
    // v3 is active again after v4 and v5 were deployed: v2 is the previous one, not v4.
    expect(previousBuiltVersion([d(5, "inactive"), d(4, "inactive"), d(3, "active"), d(2, "inactive"), d(1, "failed")], 3)).toBe(2);
  });

  it("is null when nothing older was built, or nothing is active", () => {
    expect(previousBuiltVersion([d(2, "active"), d(1, "failed")], 2)).toBeNull();
    expect(previousBuiltVersion([d(1, "active")], 1)).toBeNull();
    expect(previousBuiltVersion([d(2, "inactive"), d(1, "inactive")], null)).toBeNull();
  });

  it("finds the active version in a history", () => {
    expect(activeVersionOf([d(2, "inactive"), d(1, "active")])).toBe(1);
    expect(activeVersionOf([d(1, "failed")])).toBeNull();
  });
});
