import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { JSHandle, Locator, Page } from "@playwright/test";
import { makeTarGz } from "../test/fixtures/node-function";

/**
 * A node function that answers `{"version": "<label>"}` to every request. `unique` adds a file
 * with that text, so its image has layers of its own (not shared with earlier runs' identical
 * builds) and removing it would free bytes.
 */
export function nodeFunctionArchive(label: string, unique?: string): Promise<Buffer> {
  return makeTarGz({
    ...(unique ? { "build-id.txt": `${unique}\n` } : {}),
    "package.json": JSON.stringify({ name: "e2e-fn", version: "1.0.0", scripts: { start: "node server.js" } }),
    "server.js": `require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end(JSON.stringify({version:${JSON.stringify(label)}}))}).listen(process.env.PORT)\n`,
  });
}

/** Writes bytes to a fresh temp file with the given name (for setInputFiles). */
export function writeTemp(name: string, bytes: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "dc-e2e-")), name);
  writeFileSync(file, bytes);
  return file;
}

/**
 * Drops a file on an element the way a user's drag and drop does: dragenter, dragover and drop
 * events carrying a DataTransfer with a File built in the page from the given bytes.
 */
export async function dropFile(page: Page, target: Locator, name: string, bytes: Buffer, type = "application/gzip") {
  const dataTransfer: JSHandle<DataTransfer> = await page.evaluateHandle(
    ({ name, base64, type }) => {
      const raw = atob(base64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      return dt;
    },
    { name, base64: bytes.toString("base64"), type },
  );
  await target.dispatchEvent("dragenter", { dataTransfer });
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
  await dataTransfer.dispose();
}
