import "server-only";
import { z } from "zod";

export const emailSchema = z
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address, like you@example.com." }).max(254));

export const newPasswordSchema = z
  .string({ error: "Password is required." })
  .min(8, { error: "Use a password of at least 8 characters." })
  .max(200, { error: "Use a password of at most 200 characters." });

export const credentialsSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Password is required." }).min(1, { error: "Password is required." }).max(200),
});
