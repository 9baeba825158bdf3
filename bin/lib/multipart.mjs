import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * @typedef {object} MultipartFile
 * @property {string} field
 * @property {string} filename
 * @property {string} contentType
 * @property {string} path
 * @property {number} size
 */

/**
 * @typedef {object} MultipartBody
 * @property {string} contentType with the boundary
 * @property {number} length exact byte length, for Content-Length
 * @property {() => AsyncGenerator<Uint8Array>} stream yields the body; the file is read as it goes
 */

/** @param {string} value */
function quote(value) {
  return value.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));
}

/**
 * A multipart/form-data body that streams one file from disk, so progress can be reported as
 * the bytes go out and the archive is never held in memory. Its length is known up front.
 * @param {Record<string, string>} fields
 * @param {MultipartFile} file
 * @param {(sent: number, total: number) => void} [onProgress] called as file bytes are handed on
 * @returns {MultipartBody}
 */
export function multipartBody(fields, file, onProgress) {
  const boundary = `----dart-cloud-${randomBytes(12).toString("hex")}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`)
      .join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
    async *stream() {
      yield head;
      let sent = 0;
      onProgress?.(0, file.size);
      for await (const chunk of createReadStream(file.path, { highWaterMark: 64 * 1024 })) {
        sent += chunk.length;
        yield chunk;
        onProgress?.(sent, file.size);
      }
      if (sent !== file.size) throw new Error(`The archive changed while it was being uploaded (${sent} bytes instead of ${file.size}).`);
      yield tail;
    },
  };
}
