import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import Docker from "dockerode";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";

// Direct views of the real services behind the app under test (see scripts/e2e-server.sh), so
// tests can check what was (and was not) stored.

const s3 = new S3Client({
  endpoint: `http://127.0.0.1:${process.env.E2E_S3_PORT ?? 3101}`,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
});
export const docker = new Docker();

export async function s3Keys(prefix = ""): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: "dart-cloud", Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

export async function managedImageTags(): Promise<string[]> {
  const images = await docker.listImages({ filters: { label: ["dartcloud.managed=true"] } });
  return images.flatMap((i) => i.RepoTags ?? []).sort();
}

type Entry = { name: string; body?: string; type?: "file" | "symlink" | "link" | "fifo" | "directory"; linkname?: string };

/** A .tar.gz with exactly these entries, for bad-archive tests. */
export async function rawTarGz(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if ((e.type ?? "file") === "file") pack.entry({ name: e.name, mode: 0o644 }, e.body ?? "", cb);
      else pack.entry({ name: e.name, type: e.type, linkname: e.linkname, mode: 0o644 }, cb);
    });
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
