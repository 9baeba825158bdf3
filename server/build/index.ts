// The build module's public API: Dockerfiles per runtime, image builds and image housekeeping.
export { buildImage, type BuildImageOptions, type BuiltImage } from "./build-image";
export { createBuildContext, type BuildContextOptions } from "./build-context";
export {
  dockerAddress,
  dockerConnection,
  dockerErrorMessage,
  dockerHealth,
  dockerStatusCode,
  dockerUnavailable,
  getDocker,
  rethrowDockerError,
  type DockerConnection,
  type DockerHealth,
} from "./docker";
export { generateDockerfile, startCommand, GENERATED_DOCKERFILE, OWN_DOCKERFILE, type BuildManifest } from "./dockerfile";
export { imageExists, listManagedImages, removeImage, type ManagedImage } from "./images";
export { imageLabels, imageTag, LABEL_DEPLOYMENT_ID, LABEL_FUNCTION_ID, LABEL_INSTANCE, LABEL_MANAGED, LABEL_VERSION } from "./labels";
