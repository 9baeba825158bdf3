import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError, NotFoundError, UnauthorizedError } from "../errors";
import { createApiToken, listApiTokens, resolveApiToken, revokeApiToken } from "./api-tokens";
import { hashPassword, verifyPassword } from "./password";
import { registerUser } from "./register-user";
import { INVALID_CREDENTIALS, verifyCredentials } from "./verify-credentials";

const email = () => `user-${randomUUID()}@example.com`;

describe("passwords", () => {
  it("hash with scrypt and a fresh salt, and verify only the right password", async () => {
    const a = await hashPassword("s3cret-password");
    const b = await hashPassword("s3cret-password");
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toEqual(b);
    expect(await verifyPassword("s3cret-password", a)).toBe(true);
    expect(await verifyPassword("s3cret-passwore", a)).toBe(false);
  });
});

describe("registering and signing in", () => {
  it("stores the email lower-cased and only a hash of the password", async () => {
    const address = email();
    const user = await registerUser({ email: `  ${address.toUpperCase()} `, password: "long enough" });
    expect(user.email).toBe(address);
    expect(await verifyCredentials({ email: address, password: "long enough" })).toEqual(user);
  });

  it("refuses a taken email with a conflict", async () => {
    const address = email();
    await registerUser({ email: address, password: "long enough" });
    await expect(registerUser({ email: address, password: "another one" })).rejects.toThrow(ConflictError);
  });

  it("explains bad input", async () => {
    await expect(registerUser({ email: "not-an-email", password: "long enough" })).rejects.toThrow(/valid email/);
    await expect(registerUser({ email: email(), password: "short" })).rejects.toThrow(/at least 8/);
    await expect(registerUser({ email: email() })).rejects.toThrow(InvalidInputError);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const address = email();
    await registerUser({ email: address, password: "long enough" });
    const wrong = await verifyCredentials({ email: address, password: "wrong password" }).catch((e) => e);
    const unknown = await verifyCredentials({ email: email(), password: "wrong password" }).catch((e) => e);
    expect(wrong).toBeInstanceOf(UnauthorizedError);
    expect(unknown).toBeInstanceOf(UnauthorizedError);
    expect(wrong.message).toBe(INVALID_CREDENTIALS);
    expect(unknown.message).toBe(wrong.message);
  });
});

describe("API tokens", () => {
  it("resolve to their owner, are listed without the secret, and stop working once revoked", async () => {
    const user = await registerUser({ email: email(), password: "long enough" });
    const created = await createApiToken(user.id, { name: "ci" });
    expect(created.token).toMatch(/^dc_[A-Za-z0-9_-]{43}$/);
    expect(await resolveApiToken(created.token)).toMatchObject({ userId: user.id, tokenName: "ci" });

    const listed = await listApiTokens(user.id);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed[0].prefix).toBe(created.token.slice(0, 11));

    await revokeApiToken(user.id, created.id);
    expect(await resolveApiToken(created.token)).toBeNull();
    expect(await listApiTokens(user.id)).toHaveLength(0);
  });

  it("cannot be revoked by another owner", async () => {
    const alice = await registerUser({ email: email(), password: "long enough" });
    const bob = await registerUser({ email: email(), password: "long enough" });
    const token = await createApiToken(alice.id, { name: "alice" });
    await expect(revokeApiToken(bob.id, token.id)).rejects.toThrow(NotFoundError);
    expect(await resolveApiToken(token.token)).not.toBeNull();
  });

  it("unknown and malformed tokens resolve to nobody", async () => {
    expect(await resolveApiToken(`dc_${"a".repeat(43)}`)).toBeNull();
    expect(await resolveApiToken("not-a-token")).toBeNull();
  });
});
