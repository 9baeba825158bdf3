import "server-only";
import { listManagedImages } from "../build";
import type { Deployment } from "../db/schema";
import { functionPrefix, listKeys } from "../storage";

type Presence = { of(d: Pick<Deployment, "imageTag" | "s3Key" | "status">): { imageExists?: boolean; archiveExists?: boolean } };

// Whether each version's image and archive still exist: one Docker and one S3 listing per
// function instead of a lookup per row. Fresh for FRESH_MS; after that, up to STALE_MS, the
// last answer is served while a refresh runs in the background, so a history page never
// waits on Docker and S3 just because the cache turned over.
const FRESH_MS = 3_000;
const STALE_MS = 60_000;
type Entry = { at: number; value: Promise<Presence>; refreshing?: Promise<void> };
const cache = ((globalThis as unknown as { __dartCloudArtifacts?: Map<string, Entry> }).__dartCloudArtifacts ??= new Map());

export function forgetArtifacts(functionId: string) {
  cache.delete(functionId);
}

export function artifactPresence(functionId: string): Promise<Presence> {
  const hit = cache.get(functionId);
  const age = hit ? Date.now() - hit.at : Infinity;
  if (hit && age < FRESH_MS) return hit.value;
  if (hit && age < STALE_MS) {
    hit.refreshing ??= load(functionId).then((presence) => {
      if (cache.get(functionId) === hit) cache.set(functionId, { at: Date.now(), value: Promise.resolve(presence) });
    });
    return hit.value;
  }
  const value = load(functionId);
  cache.set(functionId, { at: Date.now(), value });
  return value;
}

async function load(functionId: string): Promise<Presence> {
  const [images, keys] = await Promise.all([
    listManagedImages({ functionId })
      .then((list) => new Set(list.flatMap((i) => i.tags)))
      .catch(() => null),
    (async () => {
      const set = new Set<string>();
      for await (const { key } of listKeys(functionPrefix(functionId))) set.add(key);
      return set;
    })().catch(() => null),
  ]);
  return {
    of: (d) => ({
      // Unknown (dependency down) is left to the row's own status.
      imageExists: images && d.imageTag ? images.has(d.imageTag) : undefined,
      archiveExists: keys && d.s3Key ? keys.has(d.s3Key) : undefined,
    }),
  };
}
