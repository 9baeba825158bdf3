import "server-only";

export { checkRuntimeFiles, validateArchiveFile, validateArchiveStream, archiveLimits } from "./validate-archive";
export type { ArchiveLimits, ArchiveManifest, PackageJsonSummary } from "./validate-archive";
export { receiveArchiveFile, receiveUpload, ARCHIVE_FIELD } from "./receive-upload";
export type { ReceiveArchiveOptions, ReceivedArchive, ReceivedUpload } from "./receive-upload";
export { formatSize } from "./format";
