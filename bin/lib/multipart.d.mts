// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * A multipart/form-data body that streams one file from disk, so progress can be reported as
 * the bytes go out and the archive is never held in memory. Its length is known up front.
 * @param {Record<string, string>} fields
 * @param {MultipartFile} file
 * @param {(sent: number, total: number) => void} [onProgress] called as file bytes are handed on
 * @returns {MultipartBody}
 */
export function multipartBody(fields: Record<string, string>, file: MultipartFile, onProgress?: (sent: number, total: number) => void): MultipartBody;
export type MultipartFile = {
    field: string;
    filename: string;
    contentType: string;
    path: string;
    size: number;
};
export type MultipartBody = {
    /**
     * with the boundary
     */
    contentType: string;
    /**
     * exact byte length, for Content-Length
     */
    length: number;
    /**
     * yields the body; the file is read as it goes
     */
    stream: () => AsyncGenerator<Uint8Array>;
};
