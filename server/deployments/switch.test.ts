import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployNode } from "../../test/support/deploy";
import { createTestOwner } from "../../test/support/owners";
import type { Owner } from "../auth/owner";
import { deleteFunction } from "../functions/delete-function";
import { getExecutor } from "../runtime";
import { invokeFunction } from "./invoke-function";

let owner: Owner;
let functionId: string;

beforeAll(async () => {
  owner = await createTestOwner("switcher");
  // Public so the invoke path runs exactly as for a caller, without request-scoped auth.
  const v1 = await deployNode(owner, "zero-downtime", 1);
  functionId = v1.id;
  const { updateFunctionSettings } = await import("../functions/update-settings");
  await updateFunctionSettings(owner, functionId, { publicInvoke: true });
});
afterAll(async () => {
  await deleteFunction(owner, functionId).catch(() => {});
});

function call(path = "/") {
  return invokeFunction(new Request(`http://platform.test/api/functions/${functionId}/invoke${path}`), functionId, path.split("/").filter(Boolean));
}

describe("zero-downtime switch", () => {
  it("a stream of concurrent invocations sees no error during a deploy, only v1 before and v2 after", async () => {
    const seen: Array<{ at: number; status: number; version: string | null }> = [];
    let running = true;
    const clients = Array.from({ length: 6 }, async () => {
      while (running) {
        const response = await call();
        seen.push({ at: Date.now(), status: response.status, version: response.headers.get("x-function-version") });
        await response.arrayBuffer();
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deployed = await deployNode(owner, "zero-downtime", 2);
    const switchedAt = Date.now();
    expect(deployed.status).toBe("active");
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await Promise.all(clients);

    expect(seen.length).toBeGreaterThan(50);
    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(new Set(seen.map((s) => s.version))).toEqual(new Set(["1", "2"]));
    // Every answer started after the switch returned comes from v2.
    const lastV1 = Math.max(...seen.filter((s) => s.version === "1").map((s) => s.at));
    expect(lastV1).toBeLessThanOrEqual(switchedAt + 100);
    const afterSwitch = seen.filter((s) => s.at > switchedAt + 100);
    expect(afterSwitch.length).toBeGreaterThan(0);
    expect(afterSwitch.every((s) => s.version === "2")).toBe(true);
  }, 120_000);

  it("passes the function's own status, headers and body through, with the version headers", async () => {
    const response = await call("/status/418");
    expect(response.status).toBe(418);
    expect(response.headers.get("x-function-version")).toBe("2");
    expect(response.headers.get("x-deployment-id")).toMatch(/^[0-9a-f-]{36}$/);
    const custom = await call("/headers");
    expect(custom.headers.get("x-custom")).toBe("yes");
  });

  it("keeps the platform's session away from function code, and function code away from the platform's session", async () => {
    const request = new Request(`http://platform.test/api/functions/${functionId}/invoke/`, {
      headers: { cookie: "authjs.session-token=secret; theme=dark; __Secure-authjs.session-token=also-secret", authorization: "Bearer dc_x" },
    });
    const seen = await (await invokeFunction(request, functionId, [])).json();
    expect(seen.headers.cookie).toBe("theme=dark");
    expect(seen.headers.authorization).toBeUndefined();

    const forged = await call("/forge-session");
    expect(forged.headers.getSetCookie()).toEqual(["theme=dark; Path=/"]);
    expect(forged.headers.get("content-security-policy")).toMatch(/^sandbox allow-scripts/);
  });

  it("a new container that never becomes healthy fails the deploy and v2 keeps serving", async () => {
    const { nodeFunctionFiles } = await import("../../test/fixtures/node-function");
    const broken = await deployNode(owner, "zero-downtime", 3, { files: nodeFunctionFiles({ version: 3, failOnStart: "cannot start: missing config" }) });
    expect(broken.status).toBe("failed");
    expect(broken.error).toMatch(/cannot start: missing config/);
    const response = await call();
    expect(response.headers.get("x-function-version")).toBe("2");
    expect(getExecutor().listInstances().filter((i) => i.functionId === functionId && i.version === 3)).toEqual([]);
  });
});
