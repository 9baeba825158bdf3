// Applies the retention policy now, and finishes prunes that an outage cut short.
//
//   npx tsx --conditions react-server scripts/prune.ts [--function <id>] [--retention <n>] [--json]
//
// --retention overrides every function's own setting for this run only (0 keeps everything).
// Exit status: 0 when everything was done, 1 when something is left for the next run, 2 on bad usage.
import { parseArgs } from "node:util";
import { pruneAll, pruneFunction, type PruneResult } from "../server/lifecycle/prune";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { function: { type: "string" }, retention: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log("usage: scripts/prune.ts [--function <id>] [--retention <n>] [--json]");
    return 0;
  }
  const retention = values.retention === undefined ? undefined : Number(values.retention);
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 0)) {
    console.error(`--retention must be a whole number, 0 or more (got ${values.retention}).`);
    return 2;
  }
  const options = { actor: "system (scripts/prune.ts)", retention };

  if (values.function) {
    const result = await pruneFunction(values.function, options);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else printResult(result);
    return result.incomplete.length > 0 ? 1 : 0;
  }
  const summary = await pruneAll(options);
  if (values.json) {
    console.log(JSON.stringify(summary, null, 2));
  } else {
    console.log(`${summary.functions} function(s): ${summary.pruned} version(s) pruned, ${summary.cleaned} version(s) cleaned up.`);
    for (const result of summary.incomplete) printResult(result);
    for (const f of summary.failed) console.log(`  ${f.functionId}: not pruned: ${f.error}`);
  }
  return summary.incomplete.length > 0 || summary.failed.length > 0 ? 1 : 0;
}

function printResult(r: PruneResult) {
  console.log(`${r.functionId} (retention ${r.retention || "keep all"}):`);
  for (const p of r.pruned) console.log(`  pruned v${p.version}: ${p.reason}`);
  for (const c of r.cleaned) console.log(`  removed v${c.version}: ${[...c.images, ...(c.archive ? [c.archive] : [])].join(", ")}`);
  for (const i of r.incomplete) console.log(`  v${i.version} left for the next run: ${i.error}`);
  if (r.pruned.length + r.cleaned.length + r.incomplete.length === 0) console.log("  nothing to do");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message ?? error);
    process.exit(1);
  },
);
