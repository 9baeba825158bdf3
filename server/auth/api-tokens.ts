import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "../db/client";
import { apiTokens, users } from "../db/schema";
import { NotFoundError } from "../errors";
import { parseInput } from "../validation";

// Tokens are 256 random bits, so a plain SHA-256 is a safe at-rest hash (no salt or slow
// hash needed, unlike passwords) and lets us look a token up by its hash directly.
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type TokenOwner = { userId: string; email: string; tokenId: string; tokenName: string };

const createSchema = z.object({
  name: z.string().trim().min(1, { error: "Give the token a name, like \"ci\"." }).max(100).default("default"),
  expiresInDays: z.number().int().positive().max(3650).optional(),
});

/** Creates a token; the plain token is returned once and never stored. */
export async function createApiToken(userId: string, input: unknown) {
  const { name, expiresInDays } = parseInput(createSchema, input ?? {});
  const token = `dc_${randomBytes(32).toString("base64url")}`;
  const db = await getDb();
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 11),
      expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
    })
    .returning({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt });
  return { ...row, token };
}

export async function listApiTokens(userId: string) {
  const db = await getDb();
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(userId: string, tokenId: string): Promise<void> {
  const id = parseInput(z.uuid({ error: "Unknown token." }), tokenId);
  const db = await getDb();
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ tokenHash: apiTokens.tokenHash });
  if (!row) throw new NotFoundError("No such API token.");
  tokenCache.delete(row.tokenHash);
}

// Resolving a token happens on every API call and invocation; a short cache keeps the
// database off that path. Revocation in this process evicts at once; other processes see it
// within CACHE_MS.
const CACHE_MS = 5_000;
const LAST_USED_RESOLUTION_MS = 60_000;
type Cached = { owner: TokenOwner | null; until: number; expiresAt: number | null };
const g = globalThis as unknown as { __dartCloudTokenCache?: Map<string, Cached>; __dartCloudTokenUse?: Map<string, number> };
const tokenCache = (g.__dartCloudTokenCache ??= new Map());
const lastUseWritten = (g.__dartCloudTokenUse ??= new Map());

export async function resolveApiToken(token: string): Promise<TokenOwner | null> {
  if (!token.startsWith("dc_") || token.length > 200) return null;
  const hash = hashToken(token);
  const now = Date.now();
  const cached = tokenCache.get(hash);
  if (cached && cached.until > now && (cached.expiresAt === null || cached.expiresAt > now)) {
    if (cached.owner) touch(cached.owner.tokenId, now);
    return cached.owner;
  }
  const db = await getDb();
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, userId: users.id, email: users.email, revokedAt: apiTokens.revokedAt, expiresAt: apiTokens.expiresAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hash))
    .limit(1);
  const valid = row && !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > now);
  const owner = valid ? { userId: row.userId, email: row.email, tokenId: row.id, tokenName: row.name } : null;
  if (tokenCache.size > 10_000) tokenCache.clear();
  tokenCache.set(hash, { owner, until: now + CACHE_MS, expiresAt: row?.expiresAt?.getTime() ?? null });
  if (owner) touch(owner.tokenId, now);
  return owner;
}

/** Records last use at most once a minute per token, off the request path. */
function touch(tokenId: string, now: number) {
  if ((lastUseWritten.get(tokenId) ?? 0) > now - LAST_USED_RESOLUTION_MS) return;
  lastUseWritten.set(tokenId, now);
  void getDb()
    .then((db) => db.update(apiTokens).set({ lastUsedAt: new Date(now) }).where(eq(apiTokens.id, tokenId)))
    .catch(() => lastUseWritten.delete(tokenId));
}
