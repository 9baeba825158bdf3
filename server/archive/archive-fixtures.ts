import "server-only";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";

// Builds .tar.gz archives in memory for tests (here and in other modules' tests): no fixture
// files on disk, and every bad shape can be made on purpose.

export type FixtureEntry = {
  name: string;
  body?: string | Buffer;
  type?: tar.Header["type"];
  linkname?: string;
  /** Extended (pax) header fields, e.g. { path } to carry a name the plain header cannot. */
  pax?: Record<string, string>;
};

export async function makeTar(entries: FixtureEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const e of entries) {
    const type = e.type ?? "file";
    const body = e.body === undefined ? undefined : Buffer.from(e.body);
    const header: Parameters<tar.Pack["entry"]>[0] = { name: e.name, type, mode: type === "directory" ? 0o755 : 0o644, mtime: new Date(0) };
    if (e.linkname !== undefined) header.linkname = e.linkname;
    if (e.pax) header.pax = e.pax;
    if (type === "file") header.size = body?.length ?? 0;
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      // Entries without a body (folders, links, devices, empty files) complete on their own.
      if (body && type === "file") pack.entry(header, body, cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function makeTarGz(entries: FixtureEntry[]): Promise<Buffer<ArrayBuffer>> {
  return gzipSync(await makeTar(entries));
}

const nodePackageJson = JSON.stringify({ name: "hello", scripts: { start: "node server.js" }, dependencies: {} });

/** A minimal valid archive for each runtime, as `tar -czf x.tar.gz -C folder .` lays it out. */
export const runtimeFixtures = {
  node: (): FixtureEntry[] => [
    { name: "./", type: "directory" },
    { name: "./package.json", body: nodePackageJson },
    { name: "./server.js", body: "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT || 8080);\n" },
  ],
  dart: (): FixtureEntry[] => [
    { name: "./", type: "directory" },
    { name: "./pubspec.yaml", body: "name: hello\nenvironment:\n  sdk: ^3.0.0\n" },
    { name: "./bin/", type: "directory" },
    { name: "./bin/server.dart", body: "void main() {}\n" },
  ],
  dockerfile: (): FixtureEntry[] => [
    { name: "./", type: "directory" },
    { name: "./Dockerfile", body: "FROM scratch\n" },
  ],
};
