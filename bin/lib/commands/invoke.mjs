import { readFile } from "node:fs/promises";
import path from "node:path";
import { errorFromResponse } from "../api.mjs";
import { connect } from "../context.mjs";
import { EXIT, usageError } from "../errors.mjs";

/**
 * `invoke <function>`: calls the function through the platform and prints its answer.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function invoke(ctx) {
  const { out, options, io } = ctx;
  const data = options.data === undefined ? undefined : await readData(options.data, ctx);
  const method = (options.method ?? (data === undefined ? "GET" : "POST")).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw usageError(`--method must be an HTTP method such as GET or POST, not "${options.method}".`);
  if (data !== undefined && (method === "GET" || method === "HEAD")) throw usageError(`A ${method} request cannot carry --data; use --method POST.`);
  const headers = parseHeaders(options.header ?? []);
  if (data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = looksLikeJson(data) ? "application/json" : "text/plain; charset=utf-8";
  }

  const { api } = await connect(ctx);
  const fn = await api.resolveFunction(ctx.positionals[0]);
  const response = await api.send(method, `/api/functions/${encodeURIComponent(fn.id)}/invoke${invokePath(options.path)}`, { body: data, headers });
  const version = response.headers.get("x-function-version");
  // Without X-Function-Version the answer is the platform's own (no active version, not found…).
  if (!version && !response.ok) throw await errorFromResponse(response, api.url);

  const bytes = Buffer.from(await response.arrayBuffer());
  if (out.json) {
    const text = bytes.toString("utf8");
    let body = text;
    if ((response.headers.get("content-type") ?? "").includes("json")) {
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
    }
    out.result({
      status: response.status,
      version: version ? Number(version) : null,
      deploymentId: response.headers.get("x-deployment-id"),
      headers: Object.fromEntries(response.headers),
      body,
    });
  } else {
    io.stdout.write(bytes);
    if (io.stdout.isTTY && bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) io.stdout.write("\n");
  }
  if (response.status >= 400) {
    out.note(`${fn.name}${version ? ` v${version}` : ""} answered HTTP ${response.status}.`);
    return EXIT.FUNCTION_ERROR;
  }
  return EXIT.OK;
}

/**
 * "/hello?x=1" from --path "hello?x=1"; "" when no path.
 * @param {string | undefined} raw
 * @returns {string}
 */
export function invokePath(raw) {
  if (!raw) return "";
  if (raw.startsWith("?")) return raw;
  return raw.startsWith("/") ? raw : `/${raw}`;
}

/**
 * "Name: value" strings into a header object.
 * @param {string[]} list
 * @returns {Record<string, string>}
 */
export function parseHeaders(list) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const item of list) {
    const colon = item.indexOf(":");
    const name = colon > 0 ? item.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw usageError(`--header must look like "Name: value", not "${item}".`);
    headers[name] = item.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The --data text; "@file" reads a file and "@-" standard input, as curl does.
 * @param {string} value
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<string>}
 */
async function readData(value, ctx) {
  if (!value.startsWith("@")) return value;
  if (value === "@-") {
    const chunks = [];
    for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  }
  const file = value.slice(1);
  try {
    return await readFile(path.resolve(ctx.cwd, file), "utf8");
  } catch (error) {
    throw usageError(`Cannot read --data file ${file}: ${/** @type {Error} */ (error).message}`);
  }
}

/** @param {string} text */
function looksLikeJson(text) {
  const t = text.trim();
  if (!/^[[{"]/.test(t) && !/^(true|false|null|-?\d)/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
