// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
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
export function configDir(env: Record<string, string | undefined>): string;
/**
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function configPath(env: Record<string, string | undefined>): string;
/**
 * The stored config, or {} when there is none.
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<StoredConfig>}
 */
export function readConfig(env: Record<string, string | undefined>): Promise<StoredConfig>;
/**
 * Writes the config readable by the owner only (0600, folder 0700). Written to a temp file and
 * renamed, so a crash never leaves half a token behind.
 * @param {Record<string, string | undefined>} env
 * @param {StoredConfig} data
 * @returns {Promise<string>} the file written
 */
export function writeConfig(env: Record<string, string | undefined>, data: StoredConfig): Promise<string>;
/**
 * @param {Record<string, string | undefined>} env
 */
export function removeConfig(env: Record<string, string | undefined>): Promise<void>;
/**
 * A server URL without trailing slashes; an error for anything that is not http(s).
 * @param {string} raw
 * @returns {string}
 */
export function normalizeUrl(raw: string): string;
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
export function resolveSession({ flagUrl, env, stored }: {
    flagUrl?: string;
    env: Record<string, string | undefined>;
    stored: StoredConfig;
}): Session;
export const DEFAULT_URL: "http://localhost:3000";
/**
 * What `login` stores. One server at a time: signing in elsewhere replaces it.
 */
export type StoredConfig = {
    url?: string | undefined;
    email?: string | undefined;
    token?: string | undefined;
    tokenId?: string | undefined;
    savedAt?: string | undefined;
};
export type Session = {
    url: string;
    token: string | null;
    tokenSource: "env" | "config" | null;
    email: string | null;
    /**
     * the server the stored token is for, when it is not `url`
     */
    otherServer: string | null;
};
