import "server-only";
import { getDocker, LABEL_DEPLOYMENT_ID, LABEL_FUNCTION_ID, LABEL_MANAGED, rethrowDockerError } from "../build";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { bucketName, getS3Client, listKeys } from "../storage";
import { toStorageError } from "../storage/s3";

/** An image on the Docker host as retention and the orphan check see it. */
export type ImageRecord = {
  id: string;
  tags: string[];
  functionId: string | null;
  deploymentId: string | null;
  managed: boolean;
  /** What `docker images` shows: includes base layers shared with other images. */
  size: number;
  /** Bytes only this image holds: what removing it frees. */
  uniqueSize: number;
};

type DfImage = { Id: string; RepoTags?: string[] | null; Labels?: Record<string, string> | null; Size: number; SharedSize: number };

function toRecord(image: DfImage): ImageRecord {
  const labels = image.Labels ?? {};
  const shared = image.SharedSize >= 0 ? image.SharedSize : 0;
  return {
    id: image.Id,
    tags: (image.RepoTags ?? []).filter((t) => t !== "<none>:<none>"),
    functionId: labels[LABEL_FUNCTION_ID] ?? null,
    deploymentId: labels[LABEL_DEPLOYMENT_ID] ?? null,
    managed: labels[LABEL_MANAGED] === "true",
    size: image.Size,
    uniqueSize: Math.max(0, image.Size - shared),
  };
}

/**
 * Every image on the host, with the bytes each one holds alone (Docker's disk-usage report).
 * One request for the whole host: cheaper than a lookup per version, and it also finds images
 * tagged by the older single-version design, which carry none of our labels.
 */
export function listImageRecords(): Promise<ImageRecord[]> {
  // Docker runs one disk-usage report at a time and refuses a second ("a disk usage operation
  // is already running"): callers in this process share the one in flight, and a report
  // another process started is waited out with a few short retries.
  inFlight ??= diskUsage().finally(() => (inFlight = undefined));
  return inFlight;
}

let inFlight: Promise<ImageRecord[]> | undefined;

async function diskUsage(): Promise<ImageRecord[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const df = (await getDocker().df()) as { Images?: DfImage[] | null };
      return (df.Images ?? []).map(toRecord);
    } catch (error) {
      if (attempt < 20 && /disk usage operation is already running/.test(String((error as Error)?.message))) {
        await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
        continue;
      }
      rethrowDockerError(error);
    }
  }
}

/** Index of images by tag and by the deployment id in their labels. */
export class ImageIndex {
  private byTag = new Map<string, ImageRecord>();
  private byDeployment = new Map<string, ImageRecord[]>();
  constructor(readonly images: ImageRecord[]) {
    for (const image of images) {
      for (const tag of image.tags) this.byTag.set(tag, image);
      if (image.deploymentId) {
        const list = this.byDeployment.get(image.deploymentId) ?? [];
        list.push(image);
        this.byDeployment.set(image.deploymentId, list);
      }
    }
  }
  /** The images that belong to one deployment: its tag, or its id in their labels (dangling rebuilds). */
  of(d: { id: string; imageTag: string | null }): ImageRecord[] {
    const found = new Set<ImageRecord>(this.byDeployment.get(d.id) ?? []);
    const tagged = d.imageTag ? this.byTag.get(d.imageTag) : undefined;
    if (tagged) found.add(tagged);
    return [...found];
  }
}

/** Every object under a prefix with its size, as a map. */
export async function listObjectSizes(prefix: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for await (const { key, size } of listKeys(prefix)) sizes.set(key, size);
  return sizes;
}

export type ObjectRecord = { key: string; size: number; lastModified: Date | null };

/** Every object under a prefix with its size and age (the orphan check spares recent uploads). */
export async function listObjectRecords(prefix: string): Promise<ObjectRecord[]> {
  const client = await getS3Client();
  const objects: ObjectRecord[] = [];
  let ContinuationToken: string | undefined;
  try {
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucketName(), Prefix: prefix, ContinuationToken }));
      for (const o of page.Contents ?? []) {
        if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? null });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  } catch (error) {
    throw toStorageError(error);
  }
  return objects;
}
