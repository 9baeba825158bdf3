import { expect, type APIRequestContext } from "@playwright/test";
import { uniqueEmail } from "./support";

/** Registers a fresh owner over the REST API and returns a Bearer token for them. */
export async function newOwnerToken(request: APIRequestContext, label = "api"): Promise<{ email: string; token: string; headers: Record<string, string> }> {
  const email = uniqueEmail(label);
  const password = "a long enough password";
  expect((await request.post("/api/auth/register", { data: { email, password } })).status()).toBe(201);
  const response = await request.post("/api/auth/token", { data: { email, password, name: "e2e" } });
  expect(response.status()).toBe(201);
  const { token } = await response.json();
  return { email, token, headers: { Authorization: `Bearer ${token}` } };
}
