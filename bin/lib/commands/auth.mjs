import { hostname } from "node:os";
import { errorFromResponse } from "../api.mjs";
import { configPath, readConfig, removeConfig, resolveSession, writeConfig } from "../config.mjs";
import { connect } from "../context.mjs";
import { CliError, EXIT, usageError } from "../errors.mjs";
import { ask } from "../prompt.mjs";

/**
 * `login`: exchanges email and password for an API token and stores it (0600).
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function login(ctx) {
  const { env, out, io } = ctx;
  const { stored, session, api } = await connect(ctx, { requireToken: false });
  const interactive = Boolean(io.stdin.isTTY);

  let email = ctx.options.email || env.DART_CLOUD_EMAIL || "";
  if (!email) {
    if (!interactive) throw usageError("No email given. Set DART_CLOUD_EMAIL and DART_CLOUD_PASSWORD (for CI), or run `dart-cloud login` in a terminal.");
    email = (await ask(io, `Email for ${session.url}: `)).trim();
  }
  let password = env.DART_CLOUD_PASSWORD || "";
  if (!password) {
    if (!interactive) throw usageError("No password given. Set DART_CLOUD_PASSWORD (for CI), or run `dart-cloud login` in a terminal.");
    password = await ask(io, "Password: ", { hidden: true });
  }
  if (!email || !password) throw usageError("Both an email and a password are needed to sign in.");

  const response = await api.send("POST", "/api/auth/token", {
    auth: false,
    json: { email, password, name: `dart-cloud CLI on ${hostname()}` },
  });
  if (!response.ok) {
    const error = await errorFromResponse(response, session.url);
    if (response.status === 401) {
      throw new CliError(`Sign-in to ${session.url} failed: wrong email or password.`, { exitCode: EXIT.NOT_SIGNED_IN, code: "unauthorized", status: 401 });
    }
    throw error;
  }
  const body = await response.json();
  if (typeof body?.token !== "string") throw new CliError(`The server at ${session.url} did not return a token. Is it a Dart Cloud server?`);

  // Signing in again replaces the old token: revoke it so it does not linger on the server.
  const previous = stored.token && stored.url === session.url && stored.token !== body.token ? stored.token : null;
  const file = await writeConfig(env, {
    url: session.url,
    email,
    token: body.token,
    tokenId: typeof body.id === "string" ? body.id : undefined,
    savedAt: new Date().toISOString(),
  });
  if (previous) await revoke(api.fetch, session.url, previous).catch(() => {});

  out.success(`Signed in to ${session.url} as ${email}.`);
  out.info(`Token saved to ${file} (readable only by you).`);
  if (env.DART_CLOUD_TOKEN) out.warn("DART_CLOUD_TOKEN is set and takes precedence over the saved token.");
  out.result({ url: session.url, email, configPath: file });
  return EXIT.OK;
}

/**
 * @param {typeof fetch} fetchImpl
 * @param {string} url
 * @param {string} token
 */
async function revoke(fetchImpl, url, token) {
  const response = await fetchImpl(`${url}/api/auth/token`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  return response.status === 204 || response.status === 401;
}

/**
 * `logout`: revokes the saved token on the server (best effort) and forgets it.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function logout(ctx) {
  const { env, out } = ctx;
  const stored = await readConfig(env);
  const session = resolveSession({ flagUrl: ctx.options.url, env: { ...env, DART_CLOUD_TOKEN: undefined }, stored });
  if (!stored.token) {
    out.info("Not signed in; nothing to do.");
    if (env.DART_CLOUD_TOKEN) out.warn("DART_CLOUD_TOKEN is still set in the environment; unset it to stop using it.");
    out.result({ signedOut: false, revoked: false });
    return EXIT.OK;
  }
  const url = stored.url ?? session.url;
  let revoked = false;
  try {
    revoked = await revoke(ctx.fetch ?? globalThis.fetch, url, stored.token);
  } catch {
    out.warn(`Could not reach ${url} to revoke the token; it was removed from this machine only. Revoke it in the dashboard.`);
  }
  await removeConfig(env);
  out.success(`Signed out of ${url}${stored.email ? ` (${stored.email})` : ""}.`);
  if (env.DART_CLOUD_TOKEN) out.warn("DART_CLOUD_TOKEN is still set in the environment; unset it to stop using it.");
  out.result({ signedOut: true, revoked, url, email: stored.email ?? null });
  return EXIT.OK;
}

/**
 * `whoami`: who the saved token belongs to, checked against the server.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function whoami(ctx) {
  const { out } = ctx;
  const { session, api } = await connect(ctx);
  let functions;
  try {
    functions = await api.listFunctions();
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.NOT_SIGNED_IN) {
      throw new CliError(
        session.tokenSource === "env"
          ? `DART_CLOUD_TOKEN is not accepted by ${session.url}: it was revoked, has expired, or is for another server.`
          : `Not signed in to ${session.url}: the saved token was revoked or has expired. Run \`dart-cloud login\`.`,
        { exitCode: EXIT.NOT_SIGNED_IN, code: "unauthorized", status: 401 },
      );
    }
    throw error;
  }
  const who = session.email ?? "(token from DART_CLOUD_TOKEN)";
  out.info(`${who} on ${session.url}`);
  out.info(`${functions.length} function${functions.length === 1 ? "" : "s"}; token from ${session.tokenSource === "env" ? "DART_CLOUD_TOKEN" : configPath(ctx.env)}.`);
  out.result({ url: session.url, email: session.email, tokenSource: session.tokenSource, functions: functions.length });
  return EXIT.OK;
}
