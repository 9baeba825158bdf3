import "server-only";

// The S3 key layout is part of the design contract (DESIGN.md §3): one immutable archive per
// deployment version, all of a function's archives under one prefix so deleting a function
// can remove them with one listing.

const ARCHIVE_KEY = /^functions\/([^/]+)\/v([1-9][0-9]*)\/function\.tar\.gz$/;

function checkFunctionId(functionId: string): void {
  if (!functionId || functionId.includes("/")) {
    throw new Error(`Invalid function id for an S3 key: "${functionId}"`);
  }
}

/** `functions/{functionId}/v{version}/function.tar.gz` */
export function archiveKey(functionId: string, version: number): string {
  checkFunctionId(functionId);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new Error(`Invalid deployment version for an S3 key: ${version}`);
  }
  return `functions/${functionId}/v${version}/function.tar.gz`;
}

/** `functions/{functionId}/`: every object that belongs to one function. */
export function functionPrefix(functionId: string): string {
  checkFunctionId(functionId);
  return `functions/${functionId}/`;
}

/** The function and version an archive key names, or null for any other key. */
export function parseArchiveKey(key: string): { functionId: string; version: number } | null {
  const match = ARCHIVE_KEY.exec(key);
  if (!match) return null;
  const version = Number(match[2]);
  if (!Number.isSafeInteger(version)) return null;
  return { functionId: match[1], version };
}
