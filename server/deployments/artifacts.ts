import "server-only";
import { listManagedImages } from "../build";
import type { Deployment } from "../db/schema";
import { functionPrefix, listKeys } from "../storage";

type Presence = { of(d: Pick<Deployment, "imageTag" | "s3Key" | "status">): { imageExists?: boolean; archiveExists?: boolean } };

// Whether each version's image and archive still exist: one Docker and one S3 listing per
// function, cached briefly, instead of a lookup per row.
const TTL_MS = 3_000;
const cache = ((globalThis as unknown as { __dartCloudArtifacts?: Map<string, { until: number; value: Promise<Presence> }> }).__dartCloudArtifacts ??= new Map());

export function forgetArtifacts(functionId: string) {
  cache.delete(functionId);
}

export function artifactPresence(functionId: string): Promise<Presence> {
  const hit = cache.get(functionId);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = load(functionId);
  cache.set(functionId, { until: Date.now() + TTL_MS, value });
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
