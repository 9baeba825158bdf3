// Archive uploads with progress: fetch cannot report upload progress, XMLHttpRequest can.

import type { DeployAccepted } from "@/server/deployments/deploy-version";

export type UploadHandle = { promise: Promise<DeployAccepted>; abort: () => void };

/** Browser-side checks before sending a byte: a .tar.gz (or .tgz) file within the size limit. */
export function checkArchiveFile(file: File, maxBytes: number): string | null {
  const name = file.name.toLowerCase();
  if (!name.endsWith(".tar.gz") && !name.endsWith(".tgz")) {
    return `${file.name} is not a .tar.gz archive. Pack your function with \`tar -czf function.tar.gz .\` and drop that file.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return `${file.name} is ${mb(file.size)}; the limit is ${mb(maxBytes)}. Leave out node_modules, .dart_tool and build outputs: they are installed during the build.`;
  }
  return null;
}

/**
 * POSTs the archive as multipart `archive` (plus text fields) and reports progress in [0, 1].
 * Rejects with the server's own `{ error }` message on a 4xx/5xx.
 */
export function uploadArchive(
  url: string,
  file: File,
  fields: Record<string, string>,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<DeployAccepted>((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append("archive", file, file.name);
    xhr.open("POST", url);
    xhr.responseType = "text";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: { error?: string } & Partial<DeployAccepted> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // fall through to the status message
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as DeployAccepted);
      } else {
        reject(new Error(body.error ?? `The upload failed: the server answered ${xhr.status}.`));
      }
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection to the server was lost. Check your network and try again."));
    xhr.onabort = () => reject(new Error("The upload was cancelled."));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
