import { expect, test } from "@playwright/test";
import { makeTarGz, nodeFunctionFiles } from "../test/fixtures/node-function";
import { newOwnerToken } from "./api";
import { managedImageTags, rawTarGz, s3Keys } from "./platform";

test.use({ storageState: { cookies: [], origins: [] } });

const good = nodeFunctionFiles({ version: 1 });
const pkg = good["package.json"];

// Each bad archive, the status it must get, and words its message must contain.
const corpus: Array<[string, () => Promise<Buffer>, number, RegExp]> = [
  ["not gzip", async () => Buffer.from("PK\u0003\u0004 this is a zip"), 400, /not gzip-compressed/],
  ["truncated", async () => (await makeTarGz(good)).subarray(0, 60), 400, /truncated|corrupt|incomplete/i],
  ["over the size limit", async () => Buffer.concat([await makeTarGz(good), Buffer.alloc(3 * 1024 * 1024, 1)]), 413, /limit is 2(\.0)? MB/],
  ["absolute path", () => rawTarGz([{ name: "package.json", body: pkg }, { name: "/etc/passwd", body: "x" }]), 400, /absolute/i],
  ["parent segment", () => rawTarGz([{ name: "package.json", body: pkg }, { name: "lib/../../escape.js", body: "x" }]), 400, /\.\./],
  ["symlink", () => rawTarGz([{ name: "package.json", body: pkg }, { name: "link", type: "symlink", linkname: "/etc/shadow" }]), 400, /link/i],
  ["fifo", () => rawTarGz([{ name: "package.json", body: pkg }, { name: "pipe", type: "fifo" }]), 400, /fifo|device|special/i],
  ["duplicate path", () => rawTarGz([{ name: "package.json", body: pkg }, { name: "./package.json", body: pkg }]), 400, /duplicate|more than once|twice/i],
  ["missing package.json", () => rawTarGz([{ name: "server.js", body: "1" }]), 400, /package\.json/],
];

test.describe("bad archives are refused with a clear message and leave nothing behind", () => {
  for (const [label, make, status, message] of corpus) {
    test(label, async ({ request }) => {
      const { headers } = await newOwnerToken(request, "bad");
      const imagesBefore = await managedImageTags();
      const keysBefore = await s3Keys();
      const response = await request.post("/api/functions/deploy", {
        headers,
        multipart: { name: "bad-archive", runtime: "node", archive: { name: "function.tar.gz", mimeType: "application/gzip", buffer: await make() } },
      });
      expect(response.status()).toBe(status);
      expect((await response.json()).error).toMatch(message);
      expect(await (await request.get("/api/functions", { headers })).json()).toEqual({ functions: [] });
      expect(await s3Keys()).toEqual(keysBefore);
      expect(await managedImageTags()).toEqual(imagesBefore);
    });
  }

  test("a request without an archive says how to send one", async ({ request }) => {
    const { headers } = await newOwnerToken(request, "noarchive");
    const response = await request.post("/api/functions/deploy", { headers, multipart: { name: "x", runtime: "node" } });
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toMatch(/form field named "archive"/);
  });

  test("a failed build with ?wait=true answers 422 with the failing step", async ({ request }) => {
    const { headers } = await newOwnerToken(request, "failbuild");
    const archive = await makeTarGz({ ...good, Dockerfile: "FROM dartcloud/node-base:local\nRUN echo boom-step && exit 3\n" });
    const response = await request.post("/api/functions/deploy?wait=true", {
      headers,
      multipart: { name: "fails", runtime: "dockerfile", archive: { name: "f.tar.gz", mimeType: "application/gzip", buffer: archive } },
    });
    expect(response.status()).toBe(422);
    const body = await response.json();
    expect(body).toMatchObject({ status: "failed", version: 1 });
    expect(body.error).toMatch(/RUN echo boom-step && exit 3/);
  });
});

test("another owner's function answers 404 on every route", async ({ request }) => {
  const alice = await newOwnerToken(request, "alice");
  const bob = await newOwnerToken(request, "bob");
  const archive = await makeTarGz(good);
  const created = await request.post("/api/functions/deploy?wait=true", {
    headers: alice.headers,
    multipart: { name: "alices", runtime: "node", archive: { name: "f.tar.gz", mimeType: "application/gzip", buffer: archive } },
  });
  expect(created.status()).toBe(200);
  const { id } = await created.json();
  const h = bob.headers;
  const multipart = { archive: { name: "f.tar.gz", mimeType: "application/gzip", buffer: archive } };
  const answers = await Promise.all([
    request.get(`/api/functions/${id}`, { headers: h }),
    request.delete(`/api/functions/${id}`, { headers: h }),
    request.patch(`/api/functions/${id}`, { headers: h, data: { publicInvoke: true } }),
    request.get(`/api/functions/${id}/deployments`, { headers: h }),
    request.post(`/api/functions/${id}/deployments`, { headers: h, multipart }),
    request.get(`/api/functions/${id}/deployments/1`, { headers: h }),
    request.post(`/api/functions/${id}/rollback`, { headers: h, data: { version: 1 } }),
    request.get(`/api/functions/${id}/logs`, { headers: h }),
    request.get(`/api/functions/${id}/invocations`, { headers: h }),
    request.get(`/api/functions/${id}/invoke`, { headers: h }),
    request.get(`/api/functions/${id}/versions/1/invoke`, { headers: h }),
  ]);
  for (const answer of answers) {
    expect(answer.status(), answer.url()).toBe(404);
    expect((await answer.json()).error).toMatch(/not found/);
  }
  // Bob's listing does not show it; Alice's function is untouched.
  expect(await (await request.get("/api/functions", { headers: h })).json()).toEqual({ functions: [] });
  const mine = await request.get(`/api/functions/${id}`, { headers: alice.headers });
  expect(await mine.json()).toMatchObject({ activeVersion: 1 });
  // Unauthenticated: 401, not 404.
  expect((await request.get(`/api/functions/${id}/deployments`)).status()).toBe(401);
});
