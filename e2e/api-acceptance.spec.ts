import { expect, test, type APIRequestContext } from "@playwright/test";
import { makeTarGz, nodeFunctionFiles } from "../test/fixtures/node-function";
import { newOwnerToken } from "./api";
import { docker, s3Keys } from "./platform";

test.use({ storageState: { cookies: [], origins: [] } });

async function deploy(request: APIRequestContext, headers: Record<string, string>, name: string, version: number) {
  const archive = await makeTarGz(nodeFunctionFiles({ version }));
  const response = await request.post("/api/functions/deploy?wait=true", {
    headers,
    multipart: { name, runtime: "node", archive: { name: "function.tar.gz", mimeType: "application/gzip", buffer: archive } },
  });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}

test("the acceptance checklist, end to end over HTTP", async ({ request }) => {
  const { headers, email } = await newOwnerToken(request, "acceptance");

  // Deploy v1, then v2.
  const v1 = await deploy(request, headers, "checklist", 1);
  expect(v1).toMatchObject({ name: "checklist", version: 1, status: "active", isNewFunction: true });
  const id = v1.id;
  const v2 = await deploy(request, headers, "checklist", 2);
  expect(v2).toMatchObject({ id, version: 2, status: "active", isNewFunction: false });

  // View history: newest first, with who and what.
  const history = await (await request.get(`/api/functions/${id}/deployments`, { headers })).json();
  expect(history.deployments.map((d: { version: number; isActive: boolean }) => [d.version, d.isActive])).toEqual([
    [2, true],
    [1, false],
  ]);
  expect(history.deployments[1]).toMatchObject({
    status: "inactive",
    imageTag: `dart-function-${id}-v1:latest`,
    s3Key: `functions/${id}/v1/function.tar.gz`,
    deployedBy: `${email} (token e2e)`,
    imageExists: true,
    archiveExists: true,
  });
  expect(history.deployments[1].archiveSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(history.nextCursor).toBeNull();

  // Roll back to v1 and invoke: v1 answers.
  const rollback = await request.post(`/api/functions/${id}/rollback`, { headers, data: { version: 1 } });
  expect(rollback.status()).toBe(200);
  expect(await rollback.json()).toMatchObject({ version: 1, deploymentId: v1.deploymentId, message: "Rolled checklist back to v1 from v2" });
  const invoked = await request.post(`/api/functions/${id}/invoke/hello/world?x=1`, { headers, data: "ping" });
  expect(invoked.status()).toBe(200);
  expect(invoked.headers()["x-function-version"]).toBe("1");
  expect(invoked.headers()["x-deployment-id"]).toBe(v1.deploymentId);
  expect(await invoked.json()).toMatchObject({ version: "1", method: "POST", path: "/hello/world", query: { x: "1" }, body: "ping" });

  // A specific version can be called for testing, by header or by path, while v1 is active.
  const byHeader = await request.get(`/api/functions/${id}/invoke`, { headers: { ...headers, "X-Function-Version": "2" } });
  expect(byHeader.headers()["x-function-version"]).toBe("2");
  const seen = (await byHeader.json()).headers;
  expect(seen["x-function-version"]).toBeUndefined();
  expect(seen.authorization).toBeUndefined(); // the platform's credential stays with the platform
  const byPath = await request.get(`/api/functions/${id}/versions/2/invoke/ping`, { headers });
  expect(byPath.headers()["x-function-version"]).toBe("2");
  expect(await byPath.json()).toMatchObject({ version: "2", path: "/ping" });
  expect((await request.get(`/api/functions/${id}/versions/9/invoke`, { headers })).status()).toBe(404);

  // Deploy v3: it becomes active.
  const v3 = await deploy(request, headers, "checklist", 3);
  expect(v3).toMatchObject({ version: 3, status: "active" });
  const fn = await (await request.get(`/api/functions/${id}`, { headers })).json();
  expect(fn).toMatchObject({ status: "active", activeVersion: 3, activeDeploymentId: v3.deploymentId });
  expect((await request.get(`/api/functions/${id}/invoke`, { headers })).headers()["x-function-version"]).toBe("3");

  // Every version's archive is in S3 and every image in Docker.
  expect(await s3Keys(`functions/${id}/`)).toEqual([1, 2, 3].map((v) => `functions/${id}/v${v}/function.tar.gz`));
  for (const v of [1, 2, 3]) {
    const image = await docker.getImage(`dart-function-${id}-v${v}:latest`).inspect();
    expect(image.Config.Labels["dartcloud.version"]).toBe(String(v));
  }

  // One deployment, with its build log.
  const one = await (await request.get(`/api/functions/${id}/deployments/3`, { headers })).json();
  expect(one.buildLog).toMatch(/Step 1\//);
  expect(one.buildLog).toMatch(/v3 is live/);

  // The audit trail has every step, newest first.
  const audit = await (await request.get(`/api/functions/${id}/logs`, { headers })).json();
  const steps = audit.logs.map((l: { action: string; version: number | null }) => `${l.action}${l.version ? ` v${l.version}` : ""}`).reverse();
  expect(steps).toEqual([
    "function.created",
    "deploy.started v1",
    "build.succeeded v1",
    "deployment.activated v1",
    "deploy.started v2",
    "build.succeeded v2",
    "deployment.activated v2",
    "rollback v1",
    "deploy.started v3",
    "build.succeeded v3",
    "deployment.activated v3",
  ]);
  expect(audit.logs.every((l: { actor: string }) => l.actor === `${email} (token e2e)`)).toBe(true);

  // Invocations are recorded per version.
  await expect
    .poll(async () => (await (await request.get(`/api/functions/${id}/invocations`, { headers })).json()).byVersion.map((v: { version: number }) => v.version))
    .toEqual([3, 2, 1]);
});
