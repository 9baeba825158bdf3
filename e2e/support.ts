import { randomUUID } from "node:crypto";

const run = randomUUID().slice(0, 8);
export const ownerEmail = `owner-${run}@example.com`;
export const ownerPassword = "correct horse battery";

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}
