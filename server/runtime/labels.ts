import "server-only";

// Docker labels that mark a container as the platform's. Reconciliation trusts only these,
// so the keys are fixed: changing one would orphan every running function container.
export const LABEL_MANAGED = "dartcloud.managed";
export const LABEL_FUNCTION_ID = "dartcloud.function-id";
export const LABEL_VERSION = "dartcloud.version";
export const LABEL_DEPLOYMENT_ID = "dartcloud.deployment-id";
