import "server-only";
import type { z } from "zod";
import { InvalidInputError } from "./errors";

/** Parses input with a schema, turning the first problem into a message a person can act on. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : undefined;
  // Zod's default wording ("Invalid input: expected string, received undefined") reads badly;
  // schemas with their own message keep it.
  const missing = issue?.code === "invalid_type" && issue.input === undefined && issue.message.startsWith("Invalid input");
  const notAnObject = issue?.code === "invalid_type" && !field && issue.expected === "object";
  const message = notAnObject ? "The request body must be a JSON object." : missing && field ? `${field} is required.` : issue?.message;
  throw new InvalidInputError(message ?? "Invalid input.", { field });
}
