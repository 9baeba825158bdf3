import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { createIgnoreMatcher, IGNORE_FILE } from "./ignore.mjs";

/**
 * @typedef {object} PackEntry
 * @property {string} name posix path inside the archive, no leading "./"
 * @property {"file" | "directory"} type
 * @property {string} absolutePath
 * @property {number} size
 * @property {number} mode
 * @property {Date} mtime
 */

/**
 * @typedef {object} CollectResult
 * @property {PackEntry[]} entries in archive order (sorted, folders before their contents)
 * @property {string[]} warnings things skipped that the user should hear about
 */

/**
 * Walks a folder and lists what to deploy, applying the ignore rules. Ignored folders are not
 * entered. Symlinks and special files are skipped with a warning: the server rejects links that
 * point outside the archive, and copying their targets could deploy files by surprise.
 * @param {string} root
 * @param {import("./ignore.mjs").IgnoreMatcher} isIgnored
 * @returns {Promise<CollectResult>}
 */
export async function collectEntries(root, isIgnored) {
  /** @type {PackEntry[]} */
  const entries = [];
  /** @type {string[]} */
  const warnings = [];

  /** @param {string} relDir */
  async function walk(relDir) {
    const absDir = relDir ? path.join(root, relDir) : root;
    const dirents = await readdir(absDir, { withFileTypes: true });
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of dirents) {
      const rel = relDir ? `${relDir}/${dirent.name}` : dirent.name;
      const abs = path.join(absDir, dirent.name);
      if (dirent.isSymbolicLink()) {
        if (!isIgnored(rel, false)) warnings.push(`Skipped symlink ${rel}: symlinks are not deployed; copy the file or folder it points to instead.`);
        continue;
      }
      if (dirent.isDirectory()) {
        if (isIgnored(rel, true)) continue;
        const info = await lstat(abs);
        entries.push({ name: rel, type: "directory", absolutePath: abs, size: 0, mode: info.mode & 0o777, mtime: info.mtime });
        await walk(rel);
        continue;
      }
      if (dirent.isFile()) {
        if (isIgnored(rel, false)) continue;
        const info = await lstat(abs);
        entries.push({ name: rel, type: "file", absolutePath: abs, size: info.size, mode: info.mode & 0o777, mtime: info.mtime });
        continue;
      }
      if (!isIgnored(rel, false)) warnings.push(`Skipped ${rel}: it is not a regular file or folder (a socket, pipe or device).`);
    }
  }

  await walk("");
  return { entries, warnings };
}

/**
 * Writes the entries as a .tar.gz: names at the archive root, owner root, group and world
 * permissions normalized to what a build needs (executable bits kept).
 * @param {PackEntry[]} entries
 * @param {string} outFile
 * @returns {Promise<number>} the archive size in bytes
 */
export async function writeTarGz(entries, outFile) {
  const pack = tar.pack();
  const written = pipeline(pack, createGzip({ level: 9 }), createWriteStream(outFile, { mode: 0o600 }));
  // Ends the pack on failure so the pipeline rejects instead of waiting forever.
  written.catch(() => {});
  try {
    for (const entry of entries) {
      const header = {
        name: entry.name,
        mode: entry.type === "directory" || entry.mode & 0o111 ? 0o755 : 0o644,
        mtime: entry.mtime,
        uid: 0,
        gid: 0,
        uname: "",
        gname: "",
      };
      if (entry.type === "directory") {
        await new Promise((resolve, reject) => pack.entry({ ...header, type: "directory" }, (err) => (err ? reject(err) : resolve(undefined))));
        continue;
      }
      await new Promise((resolve, reject) => {
        const sink = pack.entry({ ...header, type: "file", size: entry.size }, (err) => (err ? reject(err) : resolve(undefined)));
        const source = createReadStream(entry.absolutePath);
        source.on("error", (err) => {
          sink.destroy(err);
          reject(new Error(`Cannot read ${entry.name}: ${err.message}`));
        });
        source.pipe(sink);
      });
    }
    pack.finalize();
  } catch (error) {
    pack.destroy(/** @type {Error} */ (error));
    throw error;
  }
  await written;
  return (await stat(outFile)).size;
}

/**
 * @typedef {object} PackedArchive
 * @property {string} path the .tar.gz in a private temp folder
 * @property {number} size bytes
 * @property {number} fileCount
 * @property {number} contentBytes total size of the files before compression
 * @property {string[]} files the archive's file names
 * @property {string[]} warnings
 * @property {() => Promise<void>} cleanup removes the temp folder
 */

/**
 * Packs a folder for deployment: reads its `.dartcloudignore`, applies the default ignores for
 * the runtime, and writes function.tar.gz to a fresh temp folder.
 * @param {string} dir
 * @param {{ runtime?: string }} [options]
 * @returns {Promise<PackedArchive>}
 */
export async function packDirectory(dir, { runtime } = {}) {
  const ignoreFileText = await readFile(path.join(dir, IGNORE_FILE), "utf8").catch(() => "");
  const { entries, warnings } = await collectEntries(dir, createIgnoreMatcher({ runtime, ignoreFileText }));
  const tempDir = await mkdtemp(path.join(tmpdir(), "dart-cloud-pack-"));
  const cleanup = () => rm(tempDir, { recursive: true, force: true });
  const file = path.join(tempDir, "function.tar.gz");
  try {
    const size = await writeTarGz(entries, file);
    const files = entries.filter((e) => e.type === "file");
    return {
      path: file,
      size,
      fileCount: files.length,
      contentBytes: files.reduce((sum, e) => sum + e.size, 0),
      files: files.map((e) => e.name),
      warnings,
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
