import { ApiClient } from "./api.mjs";
import { readConfig, resolveSession } from "./config.mjs";
import { notSignedIn } from "./errors.mjs";

/**
 * @typedef {object} IO
 * @property {NodeJS.ReadableStream & { isTTY?: boolean }} stdin
 * @property {NodeJS.WritableStream & { isTTY?: boolean }} stdout
 * @property {NodeJS.WritableStream & { isTTY?: boolean }} stderr
 */

/**
 * What every command gets.
 * @typedef {object} Context
 * @property {string[]} positionals
 * @property {Record<string, any>} options
 * @property {Record<string, string | undefined>} env
 * @property {string} cwd
 * @property {IO} io
 * @property {import("./output.mjs").Output} out
 * @property {typeof fetch} [fetch]
 * @property {number} pollIntervalMs how often deploy polls the build
 */

/**
 * The session (URL, token) and an API client for it.
 * @param {Context} ctx
 * @param {{ requireToken?: boolean }} [options] default true: no token is "not signed in"
 */
export async function connect(ctx, { requireToken = true } = {}) {
  const stored = await readConfig(ctx.env);
  const session = resolveSession({ flagUrl: ctx.options.url, env: ctx.env, stored });
  if (requireToken && !session.token) {
    throw notSignedIn(
      session.url,
      session.otherServer
        ? `Not signed in to ${session.url} (you are signed in to ${session.otherServer}). Run \`dart-cloud login --url ${session.url}\`, or set DART_CLOUD_TOKEN.`
        : undefined,
    );
  }
  const api = new ApiClient({ url: session.url, token: session.token, fetch: ctx.fetch });
  return { stored, session, api };
}
