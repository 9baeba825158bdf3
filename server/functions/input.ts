import "server-only";
import { z } from "zod";
import { runtimes } from "../db/schema";

export const functionNameSchema = z
  .string({ error: "name is required." })
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, {
    error:
      "Function names start with a lowercase letter and use only lowercase letters, digits and dashes (at most 63 characters), like \"hello-world\".",
  });

export const runtimeSchema = z.enum(runtimes, { error: "runtime must be one of: dart, node, dockerfile." });

export const functionIdSchema = z.uuid({ error: "Function not found." });
