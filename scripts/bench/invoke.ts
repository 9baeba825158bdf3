// Issue 4: what the platform adds to an invocation, warm and cold.
//
//   npx next build                       (once; the benchmark runs the production build)
//   npx tsx scripts/bench/invoke.ts [--requests 2000] [--concurrency 16] [--cold 5]
//
// Warm: the same container is called through the platform (GET /api/functions/{id}/invoke with
// a Bearer token) and directly on its published 127.0.0.1 port, in alternating rounds, with
// keep-alive connections on both sides: first one request at a time (the per-request overhead),
// then `concurrency` clients at once (latency under load and requests per second).
// Cold: the function's idle timeout is set to 1 s so the platform stops the container by
// itself (its scale-to-zero path); the next invocation starts it again. The baseline is the
// same image started directly (same hardening and port publishing) to its first HTTP answer.
import {
  apiJson,
  closedLoop,
  deleteFunctions,
  deployArchive,
  deploymentContainer,
  directColdStart,
  flag,
  fmt,
  keepAliveAgent,
  machineInfo,
  makeTarGz,
  newOwner,
  benchFunctionFiles,
  percentile,
  requireProductionBuild,
  sleep,
  startServer,
  summarize,
  table,
  timedRequest,
  verdict,
  waitFor,
  type Timed,
} from "./lib";

const REQUESTS = flag("requests", 2000);
const CONCURRENCY = flag("concurrency", 16);
const SEQUENTIAL = flag("sequential", 1000);
const ROUNDS = flag("rounds", 10);
const COLD = flag("cold", 5);
const PORT = flag("port", 3410);
const S3_PORT = flag("s3-port", 3411);
const TARGET_WARM_OVERHEAD_MS = 2;
const TARGET_COLD_MS = 1000;

async function main() {
  requireProductionBuild();
  console.log(await machineInfo());
  console.log(`\nstarting the production app on 127.0.0.1:${PORT} (embedded S3 on ${S3_PORT})…`);
  const server = await startServer({ name: "invoke", port: PORT, s3Port: S3_PORT });
  const owner = await newOwner(server.baseUrl, "invoke");
  let functionId: string | undefined;
  try {
    const deployed = await deployArchive(server.baseUrl, owner, { name: "bench-invoke" }, await makeTarGz(benchFunctionFiles(1)));
    functionId = deployed.id;
    const container = await waitFor("the function's container", () => deploymentContainer(deployed.deploymentId), 10_000);
    const platformUrl = `${server.baseUrl}/api/functions/${functionId}/invoke`;
    const directUrl = `http://127.0.0.1:${container.port}/`;
    console.log(`function ${functionId} v1: platform ${platformUrl}, container ${container.id.slice(0, 12)} on ${directUrl}`);

    const platformAgent = keepAliveAgent(CONCURRENCY);
    const directAgent = keepAliveAgent(CONCURRENCY);
    const viaPlatform = () => timedRequest(platformAgent, platformUrl, { headers: owner.headers });
    const direct = () => timedRequest(directAgent, directUrl);

    const check = await viaPlatform();
    if (check.status !== 200 || check.headers["x-function-version"] !== "1") throw new Error(`invoke check: ${check.status} ${check.body}`);

    // Alternating rounds, so drift on a shared machine hits both sides alike.
    const measure = async (total: number, concurrency: number) => {
      const perRound = Math.ceil(total / ROUNDS);
      await closedLoop(Math.min(200, total), concurrency, viaPlatform);
      await closedLoop(Math.min(200, total), concurrency, direct);
      const sides = { platform: { latencies: [] as number[], wallMs: 0, errors: 0 }, direct: { latencies: [] as number[], wallMs: 0, errors: 0 } };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (["platform", "direct"] as const) : (["direct", "platform"] as const);
        for (const side of order) {
          const r = await closedLoop(perRound, concurrency, side === "platform" ? viaPlatform : direct);
          sides[side].latencies.push(...r.latencies);
          sides[side].wallMs += r.wallMs;
          sides[side].errors += r.errors;
        }
      }
      return sides;
    };

    // One client: strictly alternating requests (platform, direct, direct, platform, …), so each
    // platform call has a direct call right next to it and load spikes hit both alike.
    console.log(`\nwarm, one request at a time: ${SEQUENTIAL} per side, alternating request by request…`);
    for (let i = 0; i < 200; i++) {
      await viaPlatform();
      await direct();
    }
    const seq = { platform: { latencies: [] as number[], wallMs: 0, errors: 0 }, direct: { latencies: [] as number[], wallMs: 0, errors: 0 } };
    const pairedDiffs: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      let p: Timed, d: Timed;
      if (i % 2 === 0) {
        p = await viaPlatform();
        d = await direct();
      } else {
        d = await direct();
        p = await viaPlatform();
      }
      for (const [side, r] of [["platform", p], ["direct", d]] as const) {
        seq[side].latencies.push(r.ms);
        seq[side].wallMs += r.ms;
        if (r.status !== 200) seq[side].errors++;
      }
      pairedDiffs.push(p.ms - d.ms);
    }
    console.log(`warm, ${CONCURRENCY} concurrent clients: ${REQUESTS} per side in ${ROUNDS} alternating rounds…`);
    const conc = await measure(REQUESTS, CONCURRENCY);

    // Cold starts through the platform's own idle stop, interleaved with direct cold starts.
    await apiJson(server.baseUrl, owner, `/api/functions/${functionId}`, { method: "PATCH", body: { settings: { idleTimeoutMs: 1000 } } });
    await sleep(2_500); // the route cache (2 s) picks the new setting up
    const coldPlatform: number[] = [];
    const coldDirect: number[] = [];
    console.log(`\ncold starts: ${COLD} per side (platform: idle timeout 1 s, then the next invocation)…`);
    for (let i = 0; i < COLD; i++) {
      await viaPlatform(); // uses the instance once more, so the idle clock restarts from here
      await waitFor("the idle container to be stopped", async () => ((await deploymentContainer(deployed.deploymentId)) ? undefined : true), 30_000, 50);
      platformAgent.destroy(); // a fresh connection to the platform, as a first caller would have
      const coldAgent = keepAliveAgent(1);
      const cold = await timedRequest(coldAgent, platformUrl, { headers: owner.headers });
      coldAgent.destroy();
      if (cold.status !== 200) throw new Error(`cold invoke: ${cold.status} ${cold.body}`);
      coldPlatform.push(cold.ms);
      const started = await directColdStart(`dart-function-${functionId}-v1:latest`);
      coldDirect.push(started.ms);
      await started.remove();
      console.log(`cold ${i + 1}/${COLD}: platform ${fmt(cold.ms)} ms, direct ${fmt(started.ms)} ms`);
    }

    const row = (label: string, s: { latencies: number[]; wallMs: number; errors: number }) => {
      const sum = summarize(s.latencies);
      return [label, sum.n, sum.p50, sum.p99, sum.mean, (s.latencies.length / s.wallMs) * 1000, s.errors];
    };
    const seqOverhead = percentile(seq.platform.latencies, 50) - percentile(seq.direct.latencies, 50);
    const concOverhead = percentile(conc.platform.latencies, 50) - percentile(conc.direct.latencies, 50);
    console.log(`\n## Invoke: through the platform vs the same container directly\n`);
    console.log(
      table(
        ["side", "requests", "p50 ms", "p99 ms", "mean ms", "req/s", "non-200"],
        [
          row("platform, 1 client", seq.platform),
          row("direct, 1 client", seq.direct),
          row(`platform, ${CONCURRENCY} clients`, conc.platform),
          row(`direct, ${CONCURRENCY} clients`, conc.direct),
        ],
      ),
    );
    console.log(
      `\nwarm p50 overhead, 1 client: ${fmt(seqOverhead)} ms (ratio ${fmt(percentile(seq.platform.latencies, 50) / percentile(seq.direct.latencies, 50))}×) — target < ${TARGET_WARM_OVERHEAD_MS} ms: ${verdict(seqOverhead < TARGET_WARM_OVERHEAD_MS)}`,
    );
    console.log(`median of the paired differences (each platform call minus the direct call next to it), 1 client: ${fmt(percentile(pairedDiffs, 50))} ms`);
    console.log(
      `warm p50 overhead, ${CONCURRENCY} clients: ${fmt(concOverhead)} ms (ratio ${fmt(percentile(conc.platform.latencies, 50) / percentile(conc.direct.latencies, 50))}×); throughput ratio ${fmt(conc.platform.latencies.length / conc.platform.wallMs / (conc.direct.latencies.length / conc.direct.wallMs))}`,
    );
    const coldP = summarize(coldPlatform);
    const coldD = summarize(coldDirect);
    console.log(`\n### Cold start (first invocation after the container was stopped)\n`);
    console.log(
      table(
        ["side", "n", "p50 ms", "mean ms", "min ms", "max ms"],
        [
          ["platform: first invocation, container started on demand", coldP.n, coldP.p50, coldP.mean, coldP.min, coldP.max],
          ["baseline: same image, docker create + start + first answer", coldD.n, coldD.p50, coldD.mean, coldD.min, coldD.max],
        ],
      ),
    );
    console.log(
      `\ncold start p50 ${fmt(coldP.p50)} ms (ratio ${fmt(coldP.p50 / coldD.p50)}× the direct start) — target < ${TARGET_COLD_MS} ms: ${verdict(coldP.p50 < TARGET_COLD_MS)}`,
    );
    platformAgent.destroy();
    directAgent.destroy();
  } finally {
    if (functionId) await deleteFunctions(server.baseUrl, owner, [functionId]);
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
