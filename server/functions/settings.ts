import "server-only";
import { z } from "zod";
import { config } from "../config";
import type { FunctionSettings } from "../db/schema";

/** Platform defaults for every per-function setting. */
export const defaultSettings: Required<FunctionSettings> = {
  retention: 10,
  memoryMb: 256,
  cpus: 0.5,
  pidsLimit: 128,
  timeoutMs: 30_000,
  concurrency: 16,
  queueLimit: 32,
  idleTimeoutMs: config.runtime.idleTimeoutMs,
  publicInvoke: false,
};

export function resolveSettings(settings: FunctionSettings | null | undefined): Required<FunctionSettings> {
  return { ...defaultSettings, ...(settings ?? {}) };
}

export const settingsSchema = z
  .object({
    retention: z.number().int().min(0, { error: "retention is 0 (keep all) or more." }).max(1000),
    memoryMb: z.number().int().min(32, { error: "memoryMb must be at least 32." }).max(8192),
    cpus: z.number().min(0.05).max(16),
    pidsLimit: z.number().int().min(8).max(4096),
    timeoutMs: z.number().int().min(100).max(15 * 60_000),
    concurrency: z.number().int().min(1).max(1000),
    queueLimit: z.number().int().min(0).max(10_000),
    idleTimeoutMs: z.number().int().min(1_000).max(7 * 24 * 3600_000),
    publicInvoke: z.boolean(),
  })
  .partial()
  .strict();
