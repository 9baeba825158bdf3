import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { CliError, EXIT, usageError } from "./errors.mjs";

export const DEFAULT_URL = "http://localhost:3000";

/**
 * What `login` stores. One server at a time: signing in elsewhere replaces it.
 * @typedef {object} StoredConfig
 * @property {string} [url]
 * @property {string} [email]
 * @property {string} [token]
 * @property {string} [tokenId]
 * @property {string} [savedAt]
 */

/**
 * Where the token lives: $DART_CLOUD_CONFIG_DIR, else $XDG_CONFIG_HOME/dart-cloud, else
 * ~/.config/dart-cloud.
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function configDir(env) {
  if (env.DART_CLOUD_CONFIG_DIR) return path.resolve(env.DART_CLOUD_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), ".config");
  return path.join(base, "dart-cloud");
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function configPath(env) {
  return path.join(configDir(env), "config.json");
}

/**
 * The stored config, or {} when there is none.
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<StoredConfig>}
 */
export async function readConfig(env) {
  const file = configPath(env);
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT") return {};
    throw new CliError(`Cannot read ${file}: ${/** @type {Error} */ (error).message}`, { exitCode: EXIT.UNEXPECTED, code: "config" });
  }
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through to the same message
  }
  throw new CliError(`${file} is not valid JSON. Delete it and run \`dart-cloud login\` again.`, { exitCode: EXIT.UNEXPECTED, code: "config" });
}

/**
 * Writes the config readable by the owner only (0600, folder 0700). Written to a temp file and
 * renamed, so a crash never leaves half a token behind.
 * @param {Record<string, string | undefined>} env
 * @param {StoredConfig} data
 * @returns {Promise<string>} the file written
 */
export async function writeConfig(env, data) {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = configPath(env);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
  await chmod(temp, 0o600); // the umask cannot widen it, but an old temp file could exist
  await rename(temp, file);
  return file;
}

/**
 * @param {Record<string, string | undefined>} env
 */
export async function removeConfig(env) {
  await rm(configPath(env), { force: true });
}

/**
 * A server URL without trailing slashes; an error for anything that is not http(s).
 * @param {string} raw
 * @returns {string}
 */
export function normalizeUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`"${raw}" is not a valid server URL; use one like http://localhost:3000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw usageError(`The server URL must start with http:// or https://, not "${raw}".`);
  }
  return url.toString().replace(/\/+$/, "");
}

/**
 * @typedef {object} Session
 * @property {string} url
 * @property {string | null} token
 * @property {"env" | "config" | null} tokenSource
 * @property {string | null} email
 * @property {string | null} otherServer the server the stored token is for, when it is not `url`
 */

/**
 * Which server to talk to and with which token. URL: --url, DART_CLOUD_URL, the URL stored at
 * login, then the default. Token: DART_CLOUD_TOKEN, else the stored one, but only for the
 * server it was issued by, so a token is never sent to another server.
 * @param {{ flagUrl?: string, env: Record<string, string | undefined>, stored: StoredConfig }} input
 * @returns {Session}
 */
export function resolveSession({ flagUrl, env, stored }) {
  const url = normalizeUrl(flagUrl || env.DART_CLOUD_URL || stored.url || DEFAULT_URL);
  if (env.DART_CLOUD_TOKEN) {
    return { url, token: env.DART_CLOUD_TOKEN.trim(), tokenSource: "env", email: null, otherServer: null };
  }
  const storedUrl = stored.url ? normalizeUrl(stored.url) : null;
  if (stored.token && storedUrl === url) {
    return { url, token: stored.token, tokenSource: "config", email: stored.email ?? null, otherServer: null };
  }
  return { url, token: null, tokenSource: null, email: null, otherServer: stored.token && storedUrl ? storedUrl : null };
}
