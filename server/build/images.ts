import "server-only";
import { ConflictError } from "../errors";
import { dockerErrorMessage, dockerStatusCode, getDocker, rethrowDockerError } from "./docker";
import { LABEL_FUNCTION_ID, LABEL_MANAGED } from "./labels";

export type ManagedImage = { id: string; tags: string[]; labels: Record<string, string>; size: number };

/** Whether an image with this tag (or id) is on the Docker host. */
export async function imageExists(tag: string): Promise<boolean> {
  try {
    await getDocker().getImage(tag).inspect();
    return true;
  } catch (error) {
    if (dockerStatusCode(error) === 404) return false;
    rethrowDockerError(error);
  }
}

/**
 * Removes an image by tag, forcing past stopped containers that still use it. Idempotent:
 * an image that is already gone is fine.
 */
export async function removeImage(tag: string): Promise<void> {
  try {
    await getDocker().getImage(tag).remove({ force: true });
  } catch (error) {
    const status = dockerStatusCode(error);
    if (status === 404) return;
    if (status === 409) throw new ConflictError(`Image ${tag} is still in use and cannot be removed: ${dockerErrorMessage(error)}`);
    rethrowDockerError(error);
  }
}

/** The images the platform built (label dartcloud.managed=true), optionally only one function's. */
export async function listManagedImages(filter: { functionId?: string } = {}): Promise<ManagedImage[]> {
  const labels = [`${LABEL_MANAGED}=true`];
  if (filter.functionId) labels.push(`${LABEL_FUNCTION_ID}=${filter.functionId}`);
  try {
    const images = await getDocker().listImages({ filters: { label: labels } });
    return images.map((image) => ({
      id: image.Id,
      tags: (image.RepoTags ?? []).filter((tag) => tag !== "<none>:<none>"),
      labels: image.Labels ?? {},
      size: image.Size,
    }));
  } catch (error) {
    rethrowDockerError(error);
  }
}
