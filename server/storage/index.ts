import "server-only";

// Archive storage: S3 key layout, the S3 client and the embedded S3 server.
export { archiveKey, functionPrefix, parseArchiveKey } from "./keys";
export {
  archiveInfo,
  bucketName,
  deleteArchive,
  deletePrefix,
  downloadArchive,
  ensureBucket,
  getS3Client,
  listKeys,
  openArchive,
  putArchive,
  resetS3Client,
  s3Endpoint,
  setS3Endpoint,
  storageHealth,
  type ArchiveInfo,
  type StorageHealth,
} from "./s3";
export { ensureStorage, startEmbeddedS3, stopEmbeddedStorage, type EmbeddedS3 } from "./embedded";
