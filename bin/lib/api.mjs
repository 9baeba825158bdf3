import { CliError, EXIT, exitCodeFor, notSignedIn } from "./errors.mjs";

/**
 * @typedef {object} FunctionSummary
 * @property {string} id
 * @property {string} name
 * @property {string} runtime
 * @property {string} status
 * @property {number | null} activeVersion
 * @property {string | null} activeDeploymentId
 */

/**
 * @typedef {object} Deployment
 * @property {string} id
 * @property {number} version
 * @property {string} status
 * @property {boolean} isActive
 * @property {string | null} [error]
 * @property {string} [buildLog]
 * @property {string} [deployedAt]
 * @property {string | null} [deployedBy]
 * @property {number | null} [buildDurationMs]
 * @property {number | null} [archiveSize]
 */

/**
 * @typedef {object} RequestOptions
 * @property {Record<string, string | number | undefined | null>} [query]
 * @property {unknown} [json] sent as a JSON body
 * @property {any} [body] a raw body (string, bytes, or an async iterable with `duplex`)
 * @property {Record<string, string>} [headers]
 * @property {boolean} [auth] send the token (default true)
 * @property {"half"} [duplex]
 */

const USER_AGENT = "dart-cloud-cli";

/** Talks to the REST API of DESIGN.md §5; turns every failure into a CliError. */
export class ApiClient {
  /**
   * @param {{ url: string, token: string | null, fetch?: typeof fetch }} options
   */
  constructor({ url, token, fetch: fetchImpl }) {
    this.url = url;
    this.token = token;
    this.fetch = fetchImpl ?? globalThis.fetch;
  }

  /**
   * Sends a request and returns the raw response, whatever its status. Network failures
   * become a CliError that says the server is unreachable.
   * @param {string} method
   * @param {string} path starting with /api/
   * @param {RequestOptions} [options]
   * @returns {Promise<Response>}
   */
  async send(method, path, options = {}) {
    /** @type {Record<string, string>} */
    const headers = { "user-agent": USER_AGENT, ...options.headers };
    if (options.auth !== false) {
      if (!this.token) throw notSignedIn(this.url);
      headers.authorization = `Bearer ${this.token}`;
    }
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    const target = new URL(this.url + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) target.searchParams.set(key, String(value));
    }
    /** @type {RequestInit & { duplex?: "half" }} */
    const init = { method, headers, body, redirect: "manual" };
    if (options.duplex) init.duplex = options.duplex;
    try {
      return await this.fetch(target, init);
    } catch (error) {
      throw unreachable(this.url, error);
    }
  }

  /**
   * Sends a request and returns its parsed JSON body; a non-2xx answer throws.
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<any>}
   */
  async json(method, path, options = {}) {
    const response = await this.send(method, path, options);
    if (!response.ok) throw await errorFromResponse(response, this.url);
    if (response.status === 204) return null;
    const text = await response.text();
    try {
      return text === "" ? null : JSON.parse(text);
    } catch {
      throw new CliError(`The server at ${this.url} answered ${method} ${path} with something that is not JSON. Is --url pointing at a Dart Cloud server?`, {
        exitCode: EXIT.UNEXPECTED,
        code: "bad_response",
        status: response.status,
      });
    }
  }

  /** @returns {Promise<FunctionSummary[]>} */
  async listFunctions() {
    const body = await this.json("GET", "/api/functions");
    return Array.isArray(body?.functions) ? body.functions : [];
  }

  /**
   * Finds one of the owner's functions by name (or by id).
   * @param {string} ref
   * @returns {Promise<FunctionSummary>}
   */
  async resolveFunction(ref) {
    const functions = await this.listFunctions();
    const found = functions.find((fn) => fn.name === ref) ?? functions.find((fn) => fn.id === ref);
    if (found) return found;
    const names = functions.map((fn) => fn.name);
    const hint = names.length ? ` Your functions: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}.` : " You have no functions yet; deploy one with `dart-cloud deploy`.";
    throw new CliError(`Function "${ref}" was not found.${hint}`, { exitCode: EXIT.NOT_FOUND, code: "not_found", status: 404 });
  }

  /**
   * Every deployment of a function, newest first, following nextCursor.
   * @param {string} functionId
   * @param {number} [max] stop after this many
   * @returns {Promise<Deployment[]>}
   */
  async allDeployments(functionId, max = 1000) {
    /** @type {Deployment[]} */
    const all = [];
    /** @type {string | null} */
    let cursor = null;
    do {
      const page = await this.json("GET", `/api/functions/${encodeURIComponent(functionId)}/deployments`, { query: { limit: 100, cursor } });
      all.push(...(page?.deployments ?? []));
      cursor = page?.nextCursor ?? null;
    } while (cursor && all.length < max);
    return all;
  }
}

/**
 * The CliError for an error answer `{ error, code }` (DESIGN.md §5), with the server's own
 * message, or a message made from the status when the body is not the API's error shape.
 * @param {Response} response
 * @param {string} url
 * @returns {Promise<CliError>}
 */
export async function errorFromResponse(response, url) {
  /** @type {any} */
  let body = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    // not JSON: a proxy's error page, or not a Dart Cloud server at all
  }
  const code = typeof body?.code === "string" ? body.code : undefined;
  const serverMessage = typeof body?.error === "string" ? body.error : null;
  const status = response.status;
  const exitCode = exitCodeFor(status, code);
  let message = serverMessage ?? `The server answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}.`;
  if (exitCode === EXIT.NOT_SIGNED_IN) {
    message = `Not signed in to ${url}: ${serverMessage ?? "the token was not accepted"}. Run \`dart-cloud login\` (or set DART_CLOUD_TOKEN to a valid token).`;
  }
  const details = body && typeof body === "object" ? { ...body } : {};
  delete details.error;
  delete details.code;
  return new CliError(message, { exitCode, code: code ?? `http_${status}`, status, details });
}

/**
 * @param {string} url
 * @param {unknown} error what fetch threw
 * @returns {CliError}
 */
export function unreachable(url, error) {
  const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error)?.cause;
  const reason = cause?.code ?? cause?.message ?? /** @type {Error} */ (error)?.message ?? String(error);
  return new CliError(`Cannot reach the Dart Cloud server at ${url} (${reason}). Is it running? Point the CLI at it with --url or DART_CLOUD_URL.`, {
    exitCode: EXIT.UNAVAILABLE,
    code: "unreachable",
  });
}
