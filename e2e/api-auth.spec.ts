import { expect, test } from "@playwright/test";
import { newOwnerToken } from "./api";
import { uniqueEmail } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test.describe("REST authentication", () => {
  test("register answers 201, and 409 for a taken email", async ({ request }) => {
    const email = uniqueEmail("reg");
    const first = await request.post("/api/auth/register", { data: { email, password: "long enough" } });
    expect(first.status()).toBe(201);
    expect(await first.json()).toMatchObject({ email });
    const again = await request.post("/api/auth/register", { data: { email: email.toUpperCase(), password: "long enough" } });
    expect(again.status()).toBe(409);
    expect((await again.json()).error).toMatch(/already exists/);
  });

  test("malformed JSON and missing fields answer 400 with a message", async ({ request }) => {
    const malformed = await request.post("/api/auth/register", { data: Buffer.from('{"email": '), headers: { "content-type": "application/json" } });
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error).toMatch(/not valid JSON/);
    const notObject = await request.post("/api/auth/register", { data: Buffer.from('"just a string"'), headers: { "content-type": "application/json" } });
    expect(notObject.status()).toBe(400);
    expect((await notObject.json()).error).toBe("The request body must be a JSON object.");
    const missing = await request.post("/api/auth/token", { data: { email: uniqueEmail("x") } });
    expect(missing.status()).toBe(400);
    expect((await missing.json()).error).toMatch(/[Pp]assword is required/);
  });

  test("a wrong password and an unknown email get the same 401", async ({ request }) => {
    const email = uniqueEmail("tok");
    await request.post("/api/auth/register", { data: { email, password: "long enough" } });
    const wrong = await request.post("/api/auth/token", { data: { email, password: "not it at all" } });
    const unknown = await request.post("/api/auth/token", { data: { email: uniqueEmail("ghost"), password: "not it at all" } });
    expect(wrong.status()).toBe(401);
    expect(unknown.status()).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  test("a token works as Bearer; an unknown or missing one answers 401", async ({ request }) => {
    const { headers } = await newOwnerToken(request);
    const ok = await request.get("/api/functions", { headers });
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toEqual({ functions: [] });

    const unknown = await request.get("/api/functions", { headers: { Authorization: `Bearer dc_${"x".repeat(43)}` } });
    expect(unknown.status()).toBe(401);
    expect((await unknown.json()).error).toMatch(/API token/);
    expect((await request.get("/api/functions")).status()).toBe(401);
  });

  test("a revoked token answers 401", async ({ request }) => {
    const { headers } = await newOwnerToken(request);
    expect((await request.delete("/api/auth/token", { headers })).status()).toBe(204);
    const after = await request.get("/api/functions", { headers });
    expect(after.status()).toBe(401);
  });

  test("health reports each dependency", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, db: { ok: true }, storage: { ok: true }, docker: { ok: true } });
  });
});
