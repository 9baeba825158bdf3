import { positiveInteger } from "../args.mjs";
import { connect } from "../context.mjs";
import { CliError, EXIT, usageError } from "../errors.mjs";
import { formatAgo, formatBytes, formatDuration, formatTable } from "../output.mjs";
import { activeVersionOf, previousBuiltVersion } from "../versions.mjs";

/**
 * `list`: the owner's functions.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function list(ctx) {
  const { out } = ctx;
  const { api } = await connect(ctx);
  const functions = await api.listFunctions();
  out.result({ functions });
  if (functions.length === 0) {
    out.info("No functions yet. Deploy one with `dart-cloud deploy [dir]`.");
    return EXIT.OK;
  }
  const now = new Date();
  out.info(
    formatTable(
      ["NAME", "RUNTIME", "STATUS", "ACTIVE", "LATEST", "UPDATED"],
      functions.map((/** @type {any} */ fn) => [
        fn.name,
        fn.runtime,
        fn.status,
        fn.activeVersion ? `v${fn.activeVersion}` : null,
        fn.latestDeployment ? `v${fn.latestDeployment.version} ${fn.latestDeployment.status}` : null,
        formatAgo(fn.updatedAt, now),
      ]),
    ),
  );
  return EXIT.OK;
}

/**
 * `history <function>`: versions, newest first.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function history(ctx) {
  const { out, options } = ctx;
  const limit = positiveInteger(options.limit ?? "20", "--limit");
  const { api } = await connect(ctx);
  const fn = await api.resolveFunction(ctx.positionals[0]);
  const page = await api.json("GET", `/api/functions/${encodeURIComponent(fn.id)}/deployments`, { query: { limit: Math.min(limit, 100) } });
  /** @type {any[]} */
  const deployments = page?.deployments ?? [];
  out.result({ function: { id: fn.id, name: fn.name }, deployments, nextCursor: page?.nextCursor ?? null });
  if (deployments.length === 0) {
    out.info(`${fn.name} has no versions yet.`);
    return EXIT.OK;
  }
  const now = new Date();
  out.info(
    formatTable(
      ["VERSION", "STATUS", "DEPLOYED", "BY", "BUILD", "SIZE", "NOTE"],
      deployments.map((d) => [
        `${d.isActive ? "* " : "  "}v${d.version}`,
        d.isActive ? "active" : d.status,
        formatAgo(d.deployedAt, now),
        d.deployedBy,
        formatDuration(d.buildDurationMs),
        typeof d.archiveSize === "number" ? formatBytes(d.archiveSize) : null,
        d.error ? oneLine(d.error) : null,
      ]),
    ),
  );
  if (page?.nextCursor) out.info(`(older versions not shown; use --limit to see more)`);
  return EXIT.OK;
}

/**
 * `rollback <function> [version]`: makes an earlier built version active again.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function rollback(ctx) {
  const { out } = ctx;
  const { api } = await connect(ctx);
  const fn = await api.resolveFunction(ctx.positionals[0]);
  let version;
  if (ctx.positionals[1] !== undefined) {
    version = positiveInteger(ctx.positionals[1].replace(/^v/i, ""), "The version");
  } else {
    const deployments = await api.allDeployments(fn.id);
    const active = fn.activeVersion ?? activeVersionOf(deployments);
    if (active === null) {
      throw usageError(`${fn.name} has no active version, so there is no "previous" one. Name the version: dart-cloud rollback ${fn.name} <version>.`);
    }
    version = previousBuiltVersion(deployments, active);
    if (version === null) {
      throw new CliError(`${fn.name} has no successfully built version older than the active v${active} to roll back to.`, {
        exitCode: EXIT.NOT_FOUND,
        code: "not_found",
      });
    }
  }
  const result = await api.json("POST", `/api/functions/${encodeURIComponent(fn.id)}/rollback`, { json: { version } });
  out.success(typeof result?.message === "string" ? result.message : `${fn.name} v${version} is active.`);
  out.result(result);
  return EXIT.OK;
}

/**
 * `logs <function>`: the audit trail, newest first.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function logs(ctx) {
  const { out, options } = ctx;
  const limit = positiveInteger(options.limit ?? "50", "--limit");
  const { api } = await connect(ctx);
  const fn = await api.resolveFunction(ctx.positionals[0]);
  const page = await api.json("GET", `/api/functions/${encodeURIComponent(fn.id)}/logs`, { query: { limit: Math.min(limit, 200) } });
  /** @type {any[]} */
  const entries = page?.logs ?? [];
  out.result({ function: { id: fn.id, name: fn.name }, logs: entries, nextCursor: page?.nextCursor ?? null });
  if (entries.length === 0) {
    out.info(`No audit entries for ${fn.name}.`);
    return EXIT.OK;
  }
  out.info(
    formatTable(
      ["TIME", "VERSION", "ACTION", "ACTOR", "MESSAGE"],
      entries.map((e) => [
        typeof e.createdAt === "string" ? e.createdAt.replace("T", " ").slice(0, 19) : null,
        e.version ? `v${e.version}` : null,
        e.level === "error" ? `${e.action} (error)` : e.action,
        e.actor,
        oneLine(e.message ?? ""),
      ]),
    ),
  );
  return EXIT.OK;
}

/** @param {string} text */
function oneLine(text) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
