// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
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
export function collectEntries(root: string, isIgnored: import("./ignore.mjs").IgnoreMatcher): Promise<CollectResult>;
/**
 * Writes the entries as a .tar.gz: names at the archive root, owner root, group and world
 * permissions normalized to what a build needs (executable bits kept).
 * @param {PackEntry[]} entries
 * @param {string} outFile
 * @returns {Promise<number>} the archive size in bytes
 */
export function writeTarGz(entries: PackEntry[], outFile: string): Promise<number>;
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
export function packDirectory(dir: string, { runtime }?: {
    runtime?: string;
}): Promise<PackedArchive>;
export type PackEntry = {
    /**
     * posix path inside the archive, no leading "./"
     */
    name: string;
    type: "file" | "directory";
    absolutePath: string;
    size: number;
    mode: number;
    mtime: Date;
};
export type CollectResult = {
    /**
     * in archive order (sorted, folders before their contents)
     */
    entries: PackEntry[];
    /**
     * things skipped that the user should hear about
     */
    warnings: string[];
};
export type PackedArchive = {
    /**
     * the .tar.gz in a private temp folder
     */
    path: string;
    /**
     * bytes
     */
    size: number;
    fileCount: number;
    /**
     * total size of the files before compression
     */
    contentBytes: number;
    /**
     * the archive's file names
     */
    files: string[];
    warnings: string[];
    /**
     * removes the temp folder
     */
    cleanup: () => Promise<void>;
};
