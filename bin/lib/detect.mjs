import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { usageError } from "./errors.mjs";

export const RUNTIMES = Object.freeze(["dart", "node", "dockerfile"]);
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** @param {string} file */
async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The runtime for a folder, as the server would pick it: Dockerfile, then pubspec.yaml, then
 * package.json.
 * @param {string} dir
 * @returns {Promise<"dockerfile" | "dart" | "node" | null>}
 */
export async function detectRuntime(dir) {
  if (await isFile(path.join(dir, "Dockerfile"))) return "dockerfile";
  if (await isFile(path.join(dir, "pubspec.yaml"))) return "dart";
  if (await isFile(path.join(dir, "package.json"))) return "node";
  return null;
}

/**
 * A valid function name made from any text: lower-cased, runs of other characters turned into
 * single dashes, leading non-letters and trailing dashes dropped, cut to 63 characters.
 * @param {string} raw
 * @returns {string | null} null when nothing usable is left
 */
export function sanitizeName(raw) {
  const name = raw
    .replace(/^@[^/]+\//, "") // npm scope
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return NAME_PATTERN.test(name) ? name : null;
}

/**
 * The `name:` of a pubspec.yaml (top-level key only).
 * @param {string} text
 * @returns {string | null}
 */
export function pubspecName(text) {
  const match = /^name:\s*["']?([^"'#\s]+)["']?\s*(?:#.*)?$/m.exec(text);
  return match ? match[1] : null;
}

/**
 * @param {string} file
 * @returns {Promise<string | null>}
 */
async function readText(file) {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
}

/**
 * The default function name for a folder: the `name` of its package.json or pubspec.yaml
 * (the runtime's own manifest first), else the folder's name; sanitized.
 * @param {string} dir
 * @param {string | null} runtime
 * @returns {Promise<{ name: string | null, from: string }>}
 */
export async function detectName(dir, runtime) {
  /** @typedef {{ from: string, read: () => Promise<string | null> }} NameSource */
  /** @type {NameSource} */
  const fromPackageJson = {
    from: "package.json",
    read: async () => {
      const text = await readText(path.join(dir, "package.json"));
      try {
        const name = text ? JSON.parse(text).name : null;
        return typeof name === "string" ? name : null;
      } catch {
        return null;
      }
    },
  };
  /** @type {NameSource} */
  const fromPubspec = {
    from: "pubspec.yaml",
    read: async () => {
      const text = await readText(path.join(dir, "pubspec.yaml"));
      return text ? pubspecName(text) : null;
    },
  };
  const sources = runtime === "dart" ? [fromPubspec, fromPackageJson] : [fromPackageJson, fromPubspec];
  sources.push({ from: "the folder name", read: async () => path.basename(path.resolve(dir)) });
  for (const source of sources) {
    const raw = await source.read();
    const name = raw ? sanitizeName(raw) : null;
    if (name) return { name, from: source.from };
  }
  return { name: null, from: "" };
}

/**
 * Checks a --name given by the user; never silently changes it.
 * @param {string} name
 * @returns {string}
 */
export function checkName(name) {
  if (NAME_PATTERN.test(name)) return name;
  const suggestion = sanitizeName(name);
  throw usageError(
    `"${name}" is not a valid function name: start with a lowercase letter and use only lowercase letters, digits and dashes (at most 63 characters).${suggestion ? ` Try --name ${suggestion}.` : ""}`,
  );
}

/**
 * @param {string} runtime
 * @returns {"dart" | "node" | "dockerfile"}
 */
export function checkRuntime(runtime) {
  if (/** @type {readonly string[]} */ (RUNTIMES).includes(runtime)) return /** @type {"dart" | "node" | "dockerfile"} */ (runtime);
  throw usageError(`--runtime must be one of ${RUNTIMES.join(", ")}, not "${runtime}".`);
}
