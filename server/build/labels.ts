import "server-only";
import { config } from "../config";

// Label keys shared with server/runtime (containers carry the same ones). Fixed: images and
// containers are found again by these after a restart, so renaming one would orphan them.
export const LABEL_MANAGED = "dartcloud.managed";
export const LABEL_FUNCTION_ID = "dartcloud.function-id";
export const LABEL_VERSION = "dartcloud.version";
export const LABEL_DEPLOYMENT_ID = "dartcloud.deployment-id";
/** When PLATFORM_INSTANCE is set: which platform built the image or runs the container. */
export const LABEL_INSTANCE = "dartcloud.instance";

/** The labels every image built for a deployment carries. */
export function imageLabels(target: { functionId: string; version: number; deploymentId: string }): Record<string, string> {
  return {
    [LABEL_MANAGED]: "true",
    [LABEL_FUNCTION_ID]: target.functionId,
    [LABEL_VERSION]: String(target.version),
    [LABEL_DEPLOYMENT_ID]: target.deploymentId,
    ...(config.runtime.instance ? { [LABEL_INSTANCE]: config.runtime.instance } : {}),
  };
}

/** The image tag of one version of a function: `{prefix}-{functionId}-v{version}:latest`. */
export function imageTag(functionId: string, version: number): string {
  return `${config.images.prefix}-${functionId}-v${version}:latest`;
}
