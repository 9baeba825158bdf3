import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InvalidInputError, PayloadTooLargeError } from "../errors";
import { makeTar, makeTarGz, runtimeFixtures, type FixtureEntry } from "./archive-fixtures";
import { checkRuntimeFiles, validateArchiveFile, validateArchiveStream, type ArchiveLimits, type ArchiveManifest } from "./validate-archive";

function validate(bytes: Buffer, limits: Partial<ArchiveLimits> = {}) {
  return validateArchiveStream(Readable.from([bytes]), limits);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection, but it resolved");
}

async function rejectsWith(entries: FixtureEntry[], limits: Partial<ArchiveLimits> = {}): Promise<Error> {
  return rejection(validate(await makeTarGz(entries), limits));
}

const TAR_HINT = "`tar -czf function.tar.gz -C your-folder .`";

describe("validateArchiveStream accepts good archives", () => {
  it("node: lists the files and reads package.json", async () => {
    const manifest = await validate(await makeTarGz([...runtimeFixtures.node(), { name: "./package-lock.json", body: "{}" }]));
    expect(manifest.files).toEqual(["package.json", "server.js", "package-lock.json"]);
    expect(manifest.entries).toBe(4);
    expect(manifest.packageJson).toEqual({ name: "hello", scripts: { start: "node server.js" }, dependencies: {} });
    expect(manifest.hasPackageLock).toBe(true);
    expect(manifest.uncompressedBytes).toBeGreaterThan(0);
    expect(() => checkRuntimeFiles(manifest, "node")).not.toThrow();
  });

  it("dart: pubspec.yaml and bin/server.dart at the root", async () => {
    const manifest = await validate(await makeTarGz(runtimeFixtures.dart()));
    expect(manifest.files).toEqual(["pubspec.yaml", "bin/server.dart"]);
    expect(manifest.packageJson).toBeUndefined();
    expect(manifest.hasPackageLock).toBe(false);
    expect(() => checkRuntimeFiles(manifest, "dart")).not.toThrow();
  });

  it("dockerfile: Dockerfile at the root, without a ./ prefix", async () => {
    const manifest = await validate(await makeTarGz([{ name: "Dockerfile", body: "FROM scratch\n" }, { name: "app/main.sh", body: "echo\n" }]));
    expect(manifest.files).toEqual(["Dockerfile", "app/main.sh"]);
    expect(() => checkRuntimeFiles(manifest, "dockerfile")).not.toThrow();
  });

  it("a small archive that compresses extremely well (zero padding) is not mistaken for a bomb", async () => {
    const manifest = await validate(await makeTarGz([...runtimeFixtures.dockerfile(), { name: "./zeros.bin", body: Buffer.alloc(900 * 1024) }]));
    expect(manifest.files).toContain("zeros.bin");
  });

  it("an archive with exactly the entry limit passes", async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, body: "x" }));
    const manifest = await validate(await makeTarGz(entries), { maxEntries: 5 });
    expect(manifest.entries).toBe(5);
  });

  it("a long path (carried in a pax header) is kept whole", async () => {
    const long = `${"deep/".repeat(40)}file.txt`;
    const manifest = await validate(await makeTarGz([{ name: long, body: "x" }]));
    expect(manifest.files).toEqual([long]);
  });
});

describe("validateArchiveFile", () => {
  it("validates an archive on disk", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "validate-archive-test-"));
    try {
      const file = path.join(dir, "function.tar.gz");
      writeFileSync(file, await makeTarGz(runtimeFixtures.dart()));
      const manifest = await validateArchiveFile(file);
      expect(manifest.files).toEqual(["pubspec.yaml", "bin/server.dart"]);
      writeFileSync(file, await makeTar(runtimeFixtures.dart()));
      const err = await rejection(validateArchiveFile(file));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.message).toMatch(/^The archive is not gzip-compressed\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("validateArchiveStream rejects bad archives", () => {
  it("not gzip (a plain tar)", async () => {
    const err = await rejection(validate(await makeTar(runtimeFixtures.node())));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(`The archive is not gzip-compressed. Upload a .tar.gz created with ${TAR_HINT}.`);
  });

  it("not gzip (a zip file)", async () => {
    const err = await rejection(validate(Buffer.from("PK\x03\x04rest of a zip file")));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is not gzip-compressed\./);
  });

  it("a one-byte file", async () => {
    const err = await rejection(validate(Buffer.from([0x1f])));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is not gzip-compressed\./);
  });

  it("an empty file", async () => {
    const err = await rejection(validate(Buffer.alloc(0)));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is empty \(0 bytes\)\. Upload a \.tar\.gz/);
  });

  it("truncated gzip", async () => {
    const gz = await makeTarGz(runtimeFixtures.node());
    const err = await rejection(validate(gz.subarray(0, gz.length - 10)));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is truncated \(the gzip data ends early\)\. Upload the complete file again/);
  });

  it("corrupt gzip (damaged checksum)", async () => {
    const gz = Buffer.from(await makeTarGz(runtimeFixtures.node()));
    gz[gz.length - 6] ^= 0xff; // inside the CRC32 trailer
    const err = await rejection(validate(gz));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is corrupt \(incorrect data check\)\. Upload the complete file again/);
  });

  it("gzip that does not hold a tar", async () => {
    const err = await rejection(validate(gzipSync(Buffer.from("just some text, not a tar archive\n".repeat(40)))));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(`The archive is gzip-compressed but does not hold a valid tar archive. Upload a .tar.gz created with ${TAR_HINT}.`);
  });

  it("a tar truncated inside a valid gzip", async () => {
    const tarBytes = await makeTar([{ name: "big.bin", body: randomBytes(4096) }]);
    const err = await rejection(validate(gzipSync(tarBytes.subarray(0, 2048))));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive is truncated: its tar data ends in the middle of an entry\./);
  });

  it("total uncompressed size over the limit", async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `part${i}.bin`, body: randomBytes(20 * 1024) }));
    const err = await rejectsWith(entries, { maxUncompressedBytes: 64 * 1024 });
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toMatch(/^The archive unpacks to more than 64 KB, the limit for unpacked archives\. Leave out dependencies/);
  });

  it("one entry declaring more than the uncompressed limit", async () => {
    const err = await rejectsWith([{ name: "./huge.bin", body: randomBytes(100 * 1024) }], { maxUncompressedBytes: 64 * 1024 });
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toMatch(/^The archive entry "\.\/huge\.bin" is 100 KB; archives may unpack to at most 64 KB\./);
  });

  it("a decompression bomb is stopped by its ratio, long before it is inflated", async () => {
    // A tar entry of 150 MB (under the 200 MB total limit) followed by 1 GB of zeros, sent as
    // 1 KB gzip members of 1 MB each: about 1 MB on the wire.
    const size = 150 * 1024 * 1024;
    const header = (await makeTar([{ name: "bomb.bin", body: Buffer.alloc(1) }])).subarray(0, 512);
    header.write(size.toString(8).padStart(11, "0"), 124, "ascii"); // size field
    header.fill(" ", 148, 156); // checksum field, recomputed below
    header.write(header.reduce((a, b) => a + b, 0).toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
    const zeros = gzipSync(Buffer.alloc(1024 * 1024));
    let pulled = 0;
    const members = 1000;
    const source = Readable.from(
      (function* () {
        yield gzipSync(header);
        for (let i = 0; i < members; i++) {
          pulled++;
          yield zeros;
        }
      })(),
    );
    const err = await rejection(validateArchiveStream(source, {}));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive expands more than 100 times its compressed size .* decompression bombs/);
    // Stopped after about 1 MB inflated; what was pulled beyond that is stream read-ahead.
    expect(err.message).toMatch(/unpacked to over 1 MB and counting/);
    expect(pulled).toBeLessThan(100);
  });

  it("too many entries", async () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ name: `f${i}.txt`, body: "x" }));
    const err = await rejectsWith(entries, { maxEntries: 5 });
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive has more than 5 entries \(files and folders\); the limit is 5\. Leave out dependencies/);
  });

  it("an absolute path", async () => {
    const err = await rejectsWith([...runtimeFixtures.node(), { name: "/etc/cron.d/evil", body: "x" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      `The archive entry "/etc/cron.d/evil" has an absolute path. Entries must be relative to the function's folder: create the archive with ${TAR_HINT}.`,
    );
  });

  it("a Windows drive path", async () => {
    const err = await rejectsWith([{ name: "C:/Windows/evil.txt", body: "x" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "C:\/Windows\/evil\.txt" has an absolute path\./);
  });

  it("a leading .. segment", async () => {
    const err = await rejectsWith([{ name: "../outside.txt", body: "x" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      `The archive entry "../outside.txt" contains "..", which would place it outside the function's folder. Create the archive from inside the folder with ${TAR_HINT}.`,
    );
  });

  it("a .. segment in the middle", async () => {
    const err = await rejectsWith([{ name: "./lib/../../outside.txt", body: "x" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "\.\/lib\/\.\.\/\.\.\/outside\.txt" contains "\.\."/);
  });

  it("a symlink", async () => {
    const err = await rejectsWith([...runtimeFixtures.node(), { name: "./secrets", type: "symlink", linkname: "/etc/shadow" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "\.\/secrets" is a symbolic link \(to "\/etc\/shadow"\); links are not allowed\. .*`tar --dereference --hard-dereference -czf function\.tar\.gz -C your-folder \.`/);
  });

  it("a symlink pointing inside the archive (links are refused whatever they point to)", async () => {
    const err = await rejectsWith([{ name: "a.txt", body: "x" }, { name: "b.txt", type: "symlink", linkname: "a.txt" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "b\.txt" is a symbolic link/);
  });

  it("a hard link", async () => {
    const err = await rejectsWith([{ name: "a.txt", body: "x" }, { name: "b.txt", type: "link", linkname: "a.txt" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "b\.txt" is a hard link \(to "a\.txt"\); links are not allowed\. Create the archive with `tar --dereference --hard-dereference -czf function\.tar\.gz -C your-folder \.`, which stores plain copies instead of links\.$/);
  });

  it("a character device", async () => {
    const err = await rejectsWith([{ name: "dev/null", type: "character-device" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      'The archive entry "dev/null" is a character device file; only regular files and folders are allowed. Remove it from the folder and re-create the archive.',
    );
  });

  it("a block device", async () => {
    const err = await rejectsWith([{ name: "sda", type: "block-device" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "sda" is a block device file; only regular files and folders are allowed\./);
  });

  it("a fifo", async () => {
    const err = await rejectsWith([{ name: "pipe", type: "fifo" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "pipe" is a named pipe \(FIFO\); only regular files and folders are allowed\./);
  });

  it("a duplicate path, once with and once without ./", async () => {
    const err = await rejectsWith([{ name: "./server.js", body: "a" }, { name: "server.js", body: "b" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive contains "server\.js" more than once \(entry "server\.js"\)\. Each path may appear only once/);
  });

  it("a path that is both a file and a folder", async () => {
    const err = await rejectsWith([{ name: "lib", body: "a" }, { name: "lib/x.js", body: "b" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "lib\/x\.js" sits inside "lib", which the archive also has as a file\./);
  });

  it("a NUL in an entry name", async () => {
    const err = await rejectsWith([{ name: "placeholder", body: "x", pax: { path: "evil\0.txt" } }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe('The archive entry "evil\\u0000.txt" has a NUL character in its name. Rename the file and re-create the archive.');
  });

  it("a backslash in an entry name", async () => {
    const err = await rejectsWith([{ name: "bin\\server.dart", body: "x" }]);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive entry "bin\\\\server\.dart" has a backslash in its name\. Paths must use forward slashes/);
  });
});

async function manifestOf(entries: FixtureEntry[]): Promise<ArchiveManifest> {
  return validate(await makeTarGz(entries));
}

function runtimeError(manifest: ArchiveManifest, runtime: "dart" | "node" | "dockerfile"): Error {
  try {
    checkRuntimeFiles(manifest, runtime);
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected checkRuntimeFiles to throw");
}

describe("checkRuntimeFiles", () => {
  it("dart without bin/server.dart", async () => {
    const err = runtimeError(await manifestOf([{ name: "./pubspec.yaml", body: "name: x\n" }]), "dart");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      `The archive has no "bin/server.dart". A dart function needs "pubspec.yaml" and "bin/server.dart" at the root of the archive. Create it with ${TAR_HINT} from the folder that holds them.`,
    );
  });

  it("node without package.json", async () => {
    const err = runtimeError(await manifestOf([{ name: "./server.js", body: "x" }]), "node");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^The archive has no "package\.json"\. A node function needs "package\.json" at the root of the archive\./);
  });

  it("node whose package.json has no start script", async () => {
    const err = runtimeError(await manifestOf([{ name: "package.json", body: '{"name":"x","scripts":{"test":"vitest"}}' }]), "node");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      'package.json has no "start" script; the node runtime starts the function with `npm start`. Add one, for example "scripts": { "start": "node server.js" }, and upload again.',
    );
  });

  it("node whose package.json is not valid JSON", async () => {
    const manifest = await manifestOf([{ name: "package.json", body: '{"name": "x",' }]);
    expect(manifest.packageJson).toBeUndefined();
    const err = runtimeError(manifest, "node");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^package\.json is not valid JSON \(.+\)\. Fix it and upload again\.$/);
  });

  it("node whose package.json is a JSON array", async () => {
    const err = runtimeError(await manifestOf([{ name: "package.json", body: "[]" }]), "node");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe("package.json must hold a JSON object ({ ... }). Fix it and upload again.");
  });

  it("an invalid package.json does not matter to other runtimes", async () => {
    const manifest = await manifestOf([...runtimeFixtures.dockerfile(), { name: "./package.json", body: "not json" }]);
    expect(() => checkRuntimeFiles(manifest, "dockerfile")).not.toThrow();
  });

  it("dockerfile without Dockerfile, hinting at the case of a near miss", async () => {
    const err = runtimeError(await manifestOf([{ name: "./dockerfile", body: "FROM scratch\n" }]), "dockerfile");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      `The archive has no "Dockerfile". A dockerfile function needs "Dockerfile" at the root of the archive. Found "dockerfile": file names are case-sensitive. Create it with ${TAR_HINT} from the folder that holds them.`,
    );
  });

  it("files under a single top-level folder: names the folder and the right tar command", async () => {
    const manifest = await manifestOf([
      { name: "myfn/", type: "directory" },
      { name: "myfn/package.json", body: '{"scripts":{"start":"node s.js"}}' },
      { name: "myfn/s.js", body: "x" },
    ]);
    const err = runtimeError(manifest, "node");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe(
      'A node function needs "package.json" at the root of the archive, but they are inside the folder "myfn/" (found "myfn/package.json"). Create the archive from inside that folder: `tar -czf function.tar.gz -C myfn .`',
    );
  });

  it("dart files under a top-level folder", async () => {
    const manifest = await manifestOf([
      { name: "hello/pubspec.yaml", body: "name: x\n" },
      { name: "hello/bin/server.dart", body: "void main() {}\n" },
    ]);
    const err = runtimeError(manifest, "dart");
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/inside the folder "hello\/" .*`tar -czf function\.tar\.gz -C hello \.`$/);
  });
});
