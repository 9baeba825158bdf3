// Lists what Docker, S3 and the database disagree about, and optionally repairs it:
// images with our labels that no deployment owns, archives no deployment names, built versions
// whose image and archive both vanished, and deletes that were cut short.
//
//   npx tsx --conditions react-server scripts/check-orphans.ts [--repair] [--grace-minutes <n>] [--json]
//
// Exit status: 0 when nothing is wrong (or everything was repaired), 1 otherwise, 2 on bad usage.
import { parseArgs } from "node:util";
import { DEFAULT_ARCHIVE_GRACE_MS, findOrphans, repairOrphans, type OrphanReport } from "../server/lifecycle/orphans";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      repair: { type: "boolean", default: false },
      "grace-minutes": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: scripts/check-orphans.ts [--repair] [--grace-minutes <n>] [--json]");
    return 0;
  }
  const minutes = values["grace-minutes"] === undefined ? DEFAULT_ARCHIVE_GRACE_MS / 60_000 : Number(values["grace-minutes"]);
  if (!Number.isFinite(minutes) || minutes < 0) {
    console.error(`--grace-minutes must be a number of minutes, 0 or more (got ${values["grace-minutes"]}).`);
    return 2;
  }
  const options = { archiveGraceMs: minutes * 60_000 };

  const report = await findOrphans(options);
  if (values.json && !values.repair) console.log(JSON.stringify(report, null, 2));
  else if (!values.json) printReport(report);
  const problems = report.images.length + report.archives.length + report.deployments.length + report.pendingDeletes.length;
  if (!values.repair) return problems > 0 || report.unavailable.length > 0 ? 1 : 0;

  const result = await repairOrphans({ ...options, actor: "system (scripts/check-orphans.ts)" });
  if (values.json) {
    console.log(JSON.stringify({ report, repair: result }, null, 2));
  } else {
    console.log(
      `Repaired: ${result.removedImages.length} image(s) and ${result.removedArchives.length} archive(s) removed, ` +
        `${result.markedPruned.length} version(s) marked pruned, ${result.finishedDeletes.length} delete(s) finished.`,
    );
    for (const f of result.failed) console.log(`  not repaired: ${f.item}: ${f.error}`);
    const unrepairable = report.deployments.filter((d) => d.repair === "none");
    for (const d of unrepairable) console.log(`  needs a new deploy: function ${d.functionId}: ${d.reason}`);
  }
  return result.failed.length > 0 || report.unavailable.length > 0 || report.deployments.some((d) => d.repair === "none") ? 1 : 0;
}

function printReport(r: OrphanReport) {
  for (const dependency of r.unavailable) console.log(`! ${dependency} did not answer: that part was not checked`);
  for (const i of r.images) console.log(`image    ${i.tags[0] ?? i.id.slice(0, 19)}  ${i.reason}`);
  for (const a of r.archives) console.log(`archive  ${a.key} (${a.size} bytes)  ${a.reason}`);
  for (const d of r.deployments) console.log(`version  function ${d.functionId} v${d.version} (${d.status}), missing ${d.missing.join(" and ")}: ${d.reason}`);
  for (const f of r.pendingDeletes) console.log(`delete   function ${f} was being deleted; --repair finishes it`);
  const total = r.images.length + r.archives.length + r.deployments.length + r.pendingDeletes.length;
  console.log(total === 0 ? "No orphans found." : `${total} finding(s).${" Run again with --repair to fix them."}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message ?? error);
    process.exit(1);
  },
);
