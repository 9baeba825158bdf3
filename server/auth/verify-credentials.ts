import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { users } from "../db/schema";
import { UnauthorizedError } from "../errors";
import { parseInput } from "../validation";
import { credentialsSchema } from "./credentials";
import { timingDummyHash, verifyPassword } from "./password";

export const INVALID_CREDENTIALS = "Invalid email or password.";

/** Returns the user for a correct email and password; the same error, after the same work, otherwise. */
export async function verifyCredentials(input: unknown): Promise<{ id: string; email: string }> {
  const { email, password } = parseInput(credentialsSchema, input);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await timingDummyHash()));
  if (!user || !ok) throw new UnauthorizedError(INVALID_CREDENTIALS);
  return { id: user.id, email: user.email };
}
