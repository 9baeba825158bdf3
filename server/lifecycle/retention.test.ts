import { describe, expect, it } from "vitest";
import type { DeploymentStatus } from "../db/schema";
import { planPrune, type RetentionCandidate } from "./retention";

function d(version: number, status: DeploymentStatus, extra: Partial<RetentionCandidate> = {}): RetentionCandidate {
  return { id: `d${version}`, version, status, isActive: status === "active", pinned: false, ...extra };
}
const versions = (plan: { version: number }[]) => plan.map((p) => p.version).sort((a, b) => a - b);

describe("planPrune", () => {
  it("keeps the newest N built versions and prunes the older ones", () => {
    const list = [d(1, "inactive"), d(2, "inactive"), d(3, "inactive"), d(4, "inactive"), d(5, "inactive"), d(6, "active")];
    expect(versions(planPrune(list, 3))).toEqual([1, 2, 3]);
    expect(planPrune(list, 3)[0].reason).toMatch(/^Retention keeps the last 3 built versions; v3 was older\.$/);
  });

  it("keeps everything with retention 0, or when there are not more than N built versions", () => {
    const list = [d(1, "inactive"), d(2, "active")];
    expect(planPrune(list, 0)).toEqual([]);
    expect(planPrune(list, 2)).toEqual([]);
  });

  it("never prunes the active version or a pinned one, and they do not take a place in the window", () => {
    const list = [d(1, "active"), d(2, "inactive", { pinned: true }), d(3, "inactive"), d(4, "inactive"), d(5, "inactive")];
    expect(versions(planPrune(list, 1))).toEqual([3, 4]);
  });

  it("does not count failed, queued or building versions, and prunes only failed ones older than the window", () => {
    const list = [d(1, "failed"), d(2, "inactive"), d(3, "failed"), d(4, "inactive"), d(5, "building"), d(6, "queued"), d(7, "active"), d(8, "failed")];
    expect(versions(planPrune(list, 2))).toEqual([1, 2, 3]);
    expect(planPrune(list, 2).find((p) => p.version === 1)?.reason).toMatch(/failed to build and was older/);
  });

  it("leaves already pruned versions alone", () => {
    const list = [d(1, "pruned"), d(2, "inactive"), d(3, "active")];
    expect(versions(planPrune(list, 1))).toEqual([2]);
  });
});
