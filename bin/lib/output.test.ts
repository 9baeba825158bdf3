import { describe, expect, it } from "vitest";
import { createOutput, formatAgo, formatBytes, formatDuration, formatProgress, formatTable } from "./output.mjs";

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (c: string | Uint8Array) => chunks.push(String(c)), text: () => chunks.join("") };
}

describe("formatting", () => {
  it("formats sizes, durations and ages", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50.0 MB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(12_340)).toBe("12.3s");
    expect(formatDuration(125_000)).toBe("2m05s");
    expect(formatDuration(null)).toBe("-");
    const now = new Date("2025-01-10T12:00:00Z");
    expect(formatAgo("2025-01-10T11:59:50Z", now)).toBe("just now");
    expect(formatAgo("2025-01-10T11:30:00Z", now)).toBe("30 min ago");
    expect(formatAgo("2025-01-10T09:00:00Z", now)).toBe("3 h ago");
    expect(formatAgo("2025-01-07T12:00:00Z", now)).toBe("3 days ago");
    expect(formatAgo("2024-06-01T00:00:00Z", now)).toBe("2024-06-01");
  });

  it("aligns tables and shows empty cells as -", () => {
    expect(formatTable(["NAME", "STATUS", "NOTE"], [["hello", "active", null], ["a-longer-name", "failed", "boom"]])).toBe(
      ["NAME           STATUS  NOTE", "hello          active  -", "a-longer-name  failed  boom"].join("\n"),
    );
  });

  it("shows upload progress in bytes and percent", () => {
    expect(formatProgress(512 * 1024, 2 * 1024 * 1024)).toBe("Uploading 512 KB / 2.0 MB (25%)");
  });
});

describe("output modes", () => {
  it("prints text for people, and nothing but the JSON document with --json", () => {
    const human = { stdout: sink(), stderr: sink() };
    const out = createOutput({ ...human, json: false });
    out.info("hello");
    out.result({ a: 1 });
    out.stream("log line\n");
    expect(human.stdout.text()).toBe("hello\nlog line\n");

    const machine = { stdout: sink(), stderr: sink() };
    const jsonOut = createOutput({ ...machine, json: true });
    jsonOut.info("hello");
    jsonOut.stream("log line\n");
    jsonOut.result({ a: 1 });
    expect(JSON.parse(machine.stdout.text())).toEqual({ a: 1 });
    expect(machine.stderr.text()).toBe("log line\n");
  });

  it("draws progress only on a terminal", () => {
    const quiet = { stdout: sink(), stderr: sink(false) };
    const p1 = createOutput({ ...quiet, json: false }).progress();
    p1.update(10, 10);
    p1.done();
    expect(quiet.stderr.text()).toBe("");

    const tty = { stdout: sink(), stderr: sink(true) };
    const p2 = createOutput({ ...tty, json: false }).progress();
    p2.update(10, 10);
    p2.done();
    expect(tty.stderr.text()).toContain("Uploading 10 B / 10 B (100%)");
  });
});
