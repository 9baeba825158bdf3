import { stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { errorFromResponse } from "../api.mjs";
import { positiveInteger } from "../args.mjs";
import { connect } from "../context.mjs";
import { checkName, checkRuntime, detectName, detectRuntime } from "../detect.mjs";
import { CliError, EXIT, usageError } from "../errors.mjs";
import { multipartBody } from "../multipart.mjs";
import { formatBytes, formatDuration } from "../output.mjs";
import { packDirectory } from "../pack.mjs";

/** The server's default archive limit (ARCHIVE_MAX_BYTES); only used for a friendly warning. */
const DEFAULT_SERVER_LIMIT = 50 * 1024 * 1024;
const SETTLED = new Set(["active", "inactive", "failed", "pruned"]);
const DEFAULT_TIMEOUT_SECONDS = 15 * 60;

/**
 * `deploy [dir]`: pack, upload, follow the build, and succeed only when the version is active.
 * @param {import("../context.mjs").Context} ctx
 * @returns {Promise<number>}
 */
export async function deploy(ctx) {
  const { out, options } = ctx;
  const dir = path.resolve(ctx.cwd, ctx.positionals[0] ?? ".");
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw usageError(`${dir} is not a folder. Usage: dart-cloud deploy [dir]`);
  const timeoutSeconds = options.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : positiveInteger(options.timeout, "--timeout");

  const runtime = options.runtime ? checkRuntime(options.runtime) : await detectRuntime(dir);
  if (!runtime) {
    throw usageError(`Cannot tell the runtime of ${dir}: it has no Dockerfile, pubspec.yaml or package.json. Add one, or pass --runtime dart|node|dockerfile.`);
  }
  let name;
  if (options.name) {
    name = checkName(options.name);
  } else {
    const detected = await detectName(dir, runtime);
    if (!detected.name) throw usageError(`Cannot make a function name from ${dir}; pass --name my-function.`);
    name = detected.name;
  }

  // Checked before packing, so a signed-out user is told at once.
  const { session, api } = await connect(ctx);

  const archive = await packDirectory(dir, { runtime });
  try {
    for (const warning of archive.warnings) out.warn(warning);
    if (archive.fileCount === 0) throw usageError(`Nothing to deploy: every file in ${dir} is ignored.`);
    out.info(`Deploying ${name} (${runtime}) from ${dir}: ${archive.fileCount} files, ${formatBytes(archive.contentBytes)} → ${formatBytes(archive.size)} packed`);
    if (archive.size > DEFAULT_SERVER_LIMIT) {
      out.warn(`The archive is ${formatBytes(archive.size)}; servers accept at most 50 MB unless configured otherwise. List what is not needed in .dartcloudignore.`);
    }

    const accepted = await upload(ctx, api, archive, { name, runtime });
    out.info(`Uploaded v${accepted.version} of ${accepted.name}${accepted.isNewFunction ? " (new function)" : ""}.`);
    if (options.wait === false) {
      out.info(`Building in the background. Follow it with \`dart-cloud history ${accepted.name}\`.`);
      out.result(accepted);
      return EXIT.OK;
    }

    out.info("Building…");
    const final = await followBuild(ctx, api, accepted, timeoutSeconds * 1000);
    const invokeUrl = `${session.url}/api/functions/${accepted.id}/invoke`;
    const summary = { ...accepted, status: final.status, buildDurationMs: final.buildDurationMs ?? null, error: final.error ?? null, invokeUrl };
    if (final.status === "active") {
      out.success(`${accepted.name} v${accepted.version} is live${final.buildDurationMs ? ` (built in ${formatDuration(final.buildDurationMs)})` : ""}.`);
      out.info(`Invoke: dart-cloud invoke ${accepted.name}   or   ${invokeUrl}`);
      out.result(summary);
      return EXIT.OK;
    }
    throw notActivated(accepted, final, summary);
  } finally {
    await archive.cleanup();
  }
}

/**
 * @param {import("../context.mjs").Context} ctx
 * @param {import("../api.mjs").ApiClient} api
 * @param {import("../pack.mjs").PackedArchive} archive
 * @param {{ name: string, runtime: string }} fields
 * @returns {Promise<{ id: string, name: string, version: number, deploymentId: string, status: string, isNewFunction: boolean }>}
 */
async function upload(ctx, api, archive, fields) {
  const progress = ctx.out.progress();
  let sent = 0;
  const body = multipartBody(
    fields,
    { field: "archive", filename: "function.tar.gz", contentType: "application/gzip", path: archive.path, size: archive.size },
    (bytes, total) => {
      sent = bytes;
      progress.update(bytes, total);
    },
  );
  let response;
  try {
    response = await api.send("POST", "/api/functions/deploy", {
      body: body.stream(),
      duplex: "half",
      headers: { "content-type": body.contentType, "content-length": String(body.length) },
    });
  } catch (error) {
    progress.done();
    if (error instanceof CliError && error.code === "unreachable" && sent > 0) {
      throw new CliError(
        `The connection to ${api.url} closed during the upload (after ${formatBytes(sent)} of ${formatBytes(archive.size)}). The server may have rejected the archive part-way, e.g. for its size; try again, and check the server's limits.`,
        { exitCode: EXIT.UNAVAILABLE, code: "upload_interrupted" },
      );
    }
    throw error;
  }
  progress.done();
  if (!response.ok) {
    const error = await errorFromResponse(response, api.url);
    if (error.exitCode === EXIT.REJECTED) error.message = `The server rejected the upload: ${error.message}`;
    throw error;
  }
  return response.json();
}

/**
 * Polls the deployment and prints the new part of its build log as it grows, until it settles.
 * @param {import("../context.mjs").Context} ctx
 * @param {import("../api.mjs").ApiClient} api
 * @param {{ id: string, version: number }} accepted
 * @param {number} timeoutMs
 * @returns {Promise<import("../api.mjs").Deployment>}
 */
export async function followBuild(ctx, api, accepted, timeoutMs) {
  const path = `/api/functions/${encodeURIComponent(accepted.id)}/deployments/${accepted.version}`;
  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  let endsWithNewline = true;
  let failures = 0;
  /** @param {import("../api.mjs").Deployment} d */
  const printNew = (d) => {
    const log = typeof d.buildLog === "string" ? d.buildLog : "";
    if (log.length > printed) {
      const part = log.slice(printed);
      ctx.out.stream(part);
      endsWithNewline = part.endsWith("\n");
      printed = log.length;
    }
  };
  try {
    for (;;) {
      /** @type {import("../api.mjs").Deployment} */
      let d;
      try {
        d = await api.json("GET", path);
        failures = 0;
      } catch (error) {
        // A restart or a blip of the server should not abort a build that goes on without us.
        if (error instanceof CliError && error.exitCode === EXIT.UNAVAILABLE && ++failures < 10 && Date.now() < deadline) {
          await sleep(ctx.pollIntervalMs * 2);
          continue;
        }
        throw error;
      }
      printNew(d);
      if (SETTLED.has(d.status)) {
        if (d.status === "active") {
          // The last log lines are flushed just after the switch; pick them up.
          await sleep(Math.min(ctx.pollIntervalMs, 500));
          const last = await api.json("GET", path).catch(() => null);
          if (last) printNew(last);
        }
        return d;
      }
      if (Date.now() > deadline) {
        throw new CliError(
          `Gave up waiting after ${Math.round(timeoutMs / 1000)}s: v${accepted.version} is still ${d.status}. It goes on building on the server; check it with \`dart-cloud history\`, or wait longer with --timeout.`,
          { exitCode: EXIT.UNAVAILABLE, code: "timeout" },
        );
      }
      await sleep(ctx.pollIntervalMs);
    }
  } finally {
    if (!endsWithNewline) ctx.out.stream("\n");
  }
}

/**
 * @param {{ name: string, version: number }} accepted
 * @param {import("../api.mjs").Deployment} final
 * @param {Record<string, unknown>} summary
 */
function notActivated(accepted, final, summary) {
  const v = `${accepted.name} v${accepted.version}`;
  const message =
    final.status === "failed"
      ? `The build of ${v} failed: ${final.error ?? "see the build log above"}. The previous version (if any) keeps serving.`
      : final.status === "inactive"
        ? `${v} was built but is not active: a rollback happened while it was building. Activate it with \`dart-cloud rollback ${accepted.name} ${accepted.version}\`.`
        : `${v} ended as ${final.status}, not active.`;
  return new CliError(message, { exitCode: EXIT.BUILD_FAILED, code: "build_failed", details: summary });
}
