// Where the platform's warm-invocation overhead goes (the investigation behind docs/benchmarks.md):
// requests that stop at successive points of the invoke path, timed one at a time in alternating
// rounds against the same running app.
//
//   npx next build                       (once)
//   npx tsx scripts/bench/invoke-breakdown.ts [--samples 600]
//
// To profile the server as well: BENCH_NODE_ARGS="--prof --logfile=/tmp/v8-%p.log --no-logfile-per-isolate"
// then `node --prof-process /tmp/v8-<pid>.log`.
import {
  deleteFunctions,
  deployArchive,
  deploymentContainer,
  flag,
  keepAliveAgent,
  machineInfo,
  makeTarGz,
  newOwner,
  benchFunctionFiles,
  percentile,
  requireProductionBuild,
  startServer,
  table,
  timedRequest,
  waitFor,
} from "./lib";

const SAMPLES = flag("samples", 600);
const ROUNDS = flag("rounds", 6);
const PORT = flag("port", 3430);
const S3_PORT = flag("s3-port", 3431);

async function main() {
  requireProductionBuild();
  console.log(await machineInfo());
  const server = await startServer({ name: "breakdown", port: PORT, s3Port: S3_PORT });
  const owner = await newOwner(server.baseUrl, "breakdown");
  let functionId: string | undefined;
  const agent = keepAliveAgent(4);
  try {
    const d = await deployArchive(server.baseUrl, owner, { name: "bench-breakdown" }, await makeTarGz(benchFunctionFiles(1)));
    functionId = d.id;
    const c = await waitFor("the container", () => deploymentContainer(d.deploymentId), 10_000);
    const fn = `${server.baseUrl}/api/functions/${d.id}`;
    const kinds: Array<[string, string, Record<string, string>]> = [
      ["the container directly (no platform)", `http://127.0.0.1:${c.port}/`, {}],
      ["Next.js only: an unknown /api path (404, no route handler)", `${fn}/no-such-route`, {}],
      ["invoke route, unknown token (handler, cached route and token lookup, 401 JSON)", `${fn}/invoke`, { authorization: "Bearer dc_unknown" }],
      ["invoke route, full warm invocation (200)", `${fn}/invoke`, owner.headers],
      ["invoke route, pinned version header (adds one DB query)", `${fn}/invoke`, { ...owner.headers, "x-function-version": "1" }],
      ["GET /api/functions/{id} (handler + 2 DB queries)", fn, owner.headers],
    ];
    const results: Record<string, number[]> = Object.fromEntries(kinds.map(([k]) => [k, []]));
    for (let i = 0; i < 100; i++) for (const [, url, headers] of kinds) await timedRequest(agent, url, { headers });
    const per = Math.ceil(SAMPLES / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? kinds : [...kinds].reverse();
      for (const [label, url, headers] of order) for (let i = 0; i < per; i++) results[label].push((await timedRequest(agent, url, { headers })).ms);
    }
    const direct = percentile(results[kinds[0][0]], 50);
    console.log(`\n## Warm invocation path, one request at a time (${per * ROUNDS} samples each)\n`);
    console.log(
      table(
        ["request", "p50 ms", "p90 ms", "p50 − direct ms"],
        kinds.map(([label]) => [label, percentile(results[label], 50), percentile(results[label], 90), percentile(results[label], 50) - direct]),
      ),
    );
  } finally {
    agent.destroy();
    if (functionId) await deleteFunctions(server.baseUrl, owner, [functionId]);
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
