import "server-only";
import { z } from "zod";
import { getDb } from "../db/client";
import { users } from "../db/schema";
import { ConflictError } from "../errors";
import { parseInput } from "../validation";
import { emailSchema, newPasswordSchema } from "./credentials";
import { hashPassword } from "./password";

const registerSchema = z.object({ email: emailSchema, password: newPasswordSchema });

export async function registerUser(input: unknown): Promise<{ id: string; email: string }> {
  const { email, password } = parseInput(registerSchema, input);
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ email, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email });
  if (!user) throw new ConflictError(`An account for ${email} already exists. Sign in instead.`);
  return user;
}
