// Issue 5: how fast a rollback takes effect, and how fast history pages are at 10,000 versions.
//
//   npx next build                       (once; the benchmark runs the production build)
//   npx tsx scripts/bench/rollback.ts [--warm 10] [--stopped 3] [--rebuild 3] [--versions 10000]
//
// Rollback: from just before POST /api/functions/{id}/rollback until the first invocation
// answered by the target version (X-Function-Version), for a target that is
//   (a) warm    — just switched away from, its container kept warm (WARM_GRACE_MS),
//   (b) stopped — its container removed (`docker rm -f`), so the switch starts it again,
//   (c) rebuilt — its image removed too (`docker rmi -f`), so it is rebuilt from the S3 archive.
// Baselines in the same run: an authenticated GET /api/functions/{id} round trip (for a), the
// same image started directly to its first answer (for b), and the same kind of build through
// the Engine API plus a direct start (for c).
// History: 10,000 deployments seeded straight into function_deployments for a real function;
// the newest page (?limit=20) and a page deep in the history (?cursor=…) against the same
// GET /api/functions/{id} baseline, in alternating rounds.
import postgres from "postgres";
import {
  apiJson,
  buildContextTar,
  deleteFunctions,
  deployArchive,
  deploymentContainer,
  directColdStart,
  docker,
  dockerfileFromBuildLog,
  engineBuild,
  flag,
  fmt,
  keepAliveAgent,
  machineInfo,
  makeTarGz,
  newOwner,
  benchFunctionFiles,
  percentile,
  removeImages,
  requireProductionBuild,
  sleep,
  startServer,
  summarize,
  table,
  timedRequest,
  verdict,
  waitFor,
  type Owner,
  type Server,
} from "./lib";

const WARM = flag("warm", 10);
const STOPPED = flag("stopped", 3);
const REBUILD = flag("rebuild", 3);
const VERSIONS = flag("versions", 10_000);
const PAGE_SAMPLES = flag("page-samples", 500);
const PORT = flag("port", 3420);
const S3_PORT = flag("s3-port", 3421);
const TARGET_WARM_ROLLBACK_MS = 50;
const TARGET_HISTORY_PAGE_MS = 20;
const DOCKERFILE = "Dockerfile.dartcloud";

type Deployed = { version: number; deploymentId: string };

async function main() {
  requireProductionBuild();
  console.log(await machineInfo());
  console.log(`\nstarting the production app on 127.0.0.1:${PORT} (embedded S3 on ${S3_PORT})…`);
  // Retired versions stay warm for the whole run, so case (a) always finds its target warm.
  const server = await startServer({ name: "rollback", port: PORT, s3Port: S3_PORT, env: { WARM_GRACE_MS: "1800000" } });
  const owner = await newOwner(server.baseUrl, "rollback");
  const created: string[] = [];
  const baselineTags: string[] = [];
  const agent = keepAliveAgent(4);
  try {
    // Two built versions of one function: v2 active, v1 warm.
    const v1 = await deployArchive(server.baseUrl, owner, { name: "bench-rollback" }, await makeTarGz(benchFunctionFiles(1)));
    created.push(v1.id);
    const fnId = v1.id;
    const v2 = await deployArchive(server.baseUrl, owner, { id: fnId }, await makeTarGz(benchFunctionFiles(2)));
    const versions: Record<number, Deployed> = { 1: v1, 2: v2 };
    let active = 2;

    const fnUrl = `${server.baseUrl}/api/functions/${fnId}`;
    const invokeUrl = `${fnUrl}/invoke`;
    const baselineGet = () => timedRequest(agent, fnUrl, { headers: owner.headers });
    const baseline: number[] = [];
    const sampleBaseline = async (n: number) => {
      for (let i = 0; i < n; i++) baseline.push((await baselineGet()).ms);
    };
    for (let i = 0; i < 50; i++) await baselineGet(); // warm-up
    for (let i = 0; i < 20; i++) await timedRequest(agent, invokeUrl, { headers: owner.headers });

    /** Rolls back to `version` and polls the function until that version answers. */
    const rollbackTo = async (version: number) => {
      const started = performance.now();
      const answer = await timedRequest(agent, `${fnUrl}/rollback`, {
        method: "POST",
        headers: { ...owner.headers, "content-type": "application/json" },
        body: JSON.stringify({ version }),
      });
      if (answer.status !== 200) throw new Error(`rollback to v${version}: ${answer.status} ${answer.body}`);
      let polls = 0;
      for (;;) {
        const r = await timedRequest(agent, invokeUrl, { headers: owner.headers });
        polls++;
        if (r.status === 200 && r.headers["x-function-version"] === String(version)) break;
        if (polls > 2000) throw new Error(`v${version} never answered after the rollback (last: ${r.status} ${r.headers["x-function-version"]})`);
      }
      active = version;
      return { total: performance.now() - started, request: answer.ms, polls, rebuilt: (JSON.parse(answer.body.toString()) as { rebuilt?: boolean }).rebuilt };
    };
    const other = () => (active === 1 ? 2 : 1);

    // (a) warm targets, alternating v1 ↔ v2, each next to baseline round trips.
    const warm = { total: [] as number[], request: [] as number[], extraPolls: 0 };
    console.log(`\n(a) ${WARM} rollbacks to a warm version…`);
    for (let i = 0; i < WARM; i++) {
      await sampleBaseline(10);
      const r = await rollbackTo(other());
      warm.total.push(r.total);
      warm.request.push(r.request);
      warm.extraPolls += r.polls - 1;
    }

    // (b) stopped targets: the target's container removed behind the platform's back.
    const stopped = { total: [] as number[], direct: [] as number[] };
    console.log(`(b) ${STOPPED} rollbacks to a version whose container was removed…`);
    for (let i = 0; i < STOPPED; i++) {
      const target = versions[other()];
      await removeContainerOf(target.deploymentId);
      const r = await rollbackTo(target.version);
      stopped.total.push(r.total);
      const direct = await directColdStart(imageTagOf(fnId, target.version));
      stopped.direct.push(direct.ms);
      await direct.remove();
      await sampleBaseline(10);
      console.log(`  v${target.version}: ${fmt(r.total)} ms (direct start of the same image: ${fmt(direct.ms)} ms)`);
    }

    // (c) targets whose image is gone: rebuilt from the archive in S3.
    const detail = await apiJson<{ buildLog: string }>(server.baseUrl, owner, `/api/functions/${fnId}/deployments/1`);
    const { dockerfile, labelCount } = dockerfileFromBuildLog(detail.buildLog);
    const rebuild = { total: [] as number[], buildAndStart: [] as number[] };
    // Baseline image: the same Dockerfile and label count, built once now; each round removes it
    // the same way (`docker rmi -f`) and builds it again, so it meets the same layer cache state
    // as the platform's rebuild (the steps up to CMD survive the removal, the label steps do not).
    const baselineTag = "dartcloud-bench-rollback:rebuild";
    baselineTags.push(baselineTag);
    const baselineContext = await buildContextTar(benchFunctionFiles("baseline"), DOCKERFILE, dockerfile);
    await engineBuild(baselineContext, DOCKERFILE, baselineTag, labelCount);
    console.log(`(c) ${REBUILD} rollbacks to a version whose image was removed…`);
    for (let i = 0; i < REBUILD; i++) {
      const target = versions[other()];
      await removeContainerOf(target.deploymentId);
      await docker.getImage(imageTagOf(fnId, target.version)).remove({ force: true });
      const r = await rollbackTo(target.version);
      if (!r.rebuilt) throw new Error(`the rollback to v${target.version} did not rebuild`);
      rebuild.total.push(r.total);
      // Layer-cache hits of the rebuild, so the comparison with the baseline build is seen to be like for like.
      const log = (await apiJson<{ buildLog: string }>(server.baseUrl, owner, `/api/functions/${fnId}/deployments/${target.version}`)).buildLog;
      const rebuildLog = log.slice(log.lastIndexOf("--- Rebuild of"));
      const cached = (rebuildLog.match(/Using cache/g) ?? []).length;
      const steps = (rebuildLog.match(/^Step \d+\//gm) ?? []).length;

      await docker.getImage(baselineTag).remove({ force: true });
      const build = await engineBuild(baselineContext, DOCKERFILE, baselineTag, labelCount);
      const direct = await directColdStart(baselineTag);
      await direct.remove();
      rebuild.buildAndStart.push(build.ms + direct.ms);
      await sampleBaseline(10);
      console.log(
        `  v${target.version}: ${fmt(r.total)} ms, ${cached} of ${steps} steps from the layer cache (baseline build + direct start: ${fmt(build.ms + direct.ms)} ms, ${build.cached} of ${build.steps} cached)`,
      );
    }

    // History at VERSIONS versions.
    const history = await benchHistory(server, owner, agent);

    const b = summarize(baseline);
    const w = summarize(warm.total);
    console.log(`\n## Rollback: request → first invocation served by the target version\n`);
    console.log(
      table(
        ["case", "n", "p50 ms", "mean ms", "max ms", "baseline p50 ms", "ratio (p50)"],
        [
          ["(a) warm target: rollback + first invocation", w.n, w.p50, w.mean, w.max, b.p50, fmt(w.p50 / b.p50) + "×"],
          ["(a) warm target: the rollback request alone", warm.request.length, percentile(warm.request, 50), summarize(warm.request).mean, Math.max(...warm.request), b.p50, fmt(percentile(warm.request, 50) / b.p50) + "×"],
          ["(b) stopped target (container removed)", stopped.total.length, percentile(stopped.total, 50), summarize(stopped.total).mean, Math.max(...stopped.total), percentile(stopped.direct, 50), fmt(percentile(stopped.total, 50) / percentile(stopped.direct, 50)) + "×"],
          ["(c) image removed: rebuilt from S3", rebuild.total.length, percentile(rebuild.total, 50), summarize(rebuild.total).mean, Math.max(...rebuild.total), percentile(rebuild.buildAndStart, 50), fmt(percentile(rebuild.total, 50) / percentile(rebuild.buildAndStart, 50)) + "×"],
        ],
      ),
    );
    console.log(
      `\nbaselines: (a) authenticated GET /api/functions/{id} round trip (n=${b.n}, p50 ${fmt(b.p50)} ms); (b) docker create + start of the same image to its first answer; (c) Engine API build of the same Dockerfile + direct start.`,
    );
    console.log(`invocations that still reached the previous version right after a warm rollback answered: ${warm.extraPolls}`);
    console.log(`warm rollback p50 ${fmt(w.p50)} ms — target < ${TARGET_WARM_ROLLBACK_MS} ms: ${verdict(w.p50 < TARGET_WARM_ROLLBACK_MS)}`);

    console.log(`\n## History pages at ${VERSIONS} versions (GET /api/functions/{id}/deployments, limit 20)\n`);
    const hb = summarize(history.baseline);
    const rows = Object.entries(history.pages).map(([label, values]) => {
      const s = summarize(values);
      return [label, s.n, s.p50, s.p99, s.mean, fmt(s.p50 / hb.p50) + "×"];
    });
    console.log(table(["request", "n", "p50 ms", "p99 ms", "mean ms", "ratio to baseline (p50)"], [...rows, ["baseline: GET /api/functions/{id}", hb.n, hb.p50, hb.p99, hb.mean, "1.00×"]]));
    const worst = Math.max(...Object.values(history.pages).slice(0, 2).map((v) => percentile(v, 50)));
    console.log(`\nhistory page p50 (newest and deep page, worst of the two) ${fmt(worst)} ms — target < ${TARGET_HISTORY_PAGE_MS} ms: ${verdict(worst < TARGET_HISTORY_PAGE_MS)}`);
  } finally {
    agent.destroy();
    await deleteFunctions(server.baseUrl, owner, created);
    await server.stop();
    await removeImages(baselineTags);
  }
}

function imageTagOf(functionId: string, version: number): string {
  return `dart-function-${functionId}-v${version}:latest`;
}

/** Removes a deployment's container and gives the platform's exit watch a moment to notice. */
async function removeContainerOf(deploymentId: string): Promise<void> {
  const c = await deploymentContainer(deploymentId);
  if (c) await docker.getContainer(c.id).remove({ force: true });
  await waitFor("the container to be gone", async () => ((await deploymentContainer(deploymentId)) ? undefined : true), 10_000);
  await sleep(500);
}

/** Seeds VERSIONS deployments for a new function and times its history pages. */
async function benchHistory(server: Server, owner: Owner, agent: ReturnType<typeof keepAliveAgent>) {
  const fn = await apiJson<{ id: string }>(server.baseUrl, owner, "/api/functions", { method: "POST", body: { name: "bench-history", runtime: "node" } });
  // Not deleted through the API at the end: its rows go with the benchmark's database, and it has
  // no images or archives (deleting it would ask Docker about each of the seeded tags in turn).
  console.log(`\nseeding ${VERSIONS} deployments for ${fn.id}…`);
  const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Inactive, built versions whose images and archives no longer exist, each with a build log
    // of a realistic size (about 2 KB), deployed a minute apart.
    await sql`
      insert into function_deployments
        (function_id, version, status, is_active, image_tag, image_id, s3_key, archive_sha256, archive_size, image_size,
         build_log, actor, build_started_at, build_finished_at, activated_at, deployed_at)
      select ${fn.id}::uuid, v, 'inactive', false,
        'dart-function-' || ${fn.id} || '-v' || v || ':latest', 'sha256:' || md5(v::text) || md5(v::text),
        'functions/' || ${fn.id} || '/v' || v || '/function.tar.gz', md5(v::text) || md5(v::text), 1200, 120000000,
        repeat('Step 1/7 : FROM dartcloud/node-base:local' || chr(10) || ' ---> 0123456789ab' || chr(10), 30),
        ${owner.email}, t, t + interval '2 seconds', t + interval '3 seconds', t
      from generate_series(1, ${VERSIONS}::int) v, lateral (select now() - (${VERSIONS}::int - v) * interval '1 minute' as t) times`;
    await sql`update functions set next_version = ${VERSIONS + 1} where id = ${fn.id}::uuid`;
    await sql`analyze function_deployments`;
  } finally {
    await sql.end({ timeout: 5 });
  }

  const base = `${server.baseUrl}/api/functions/${fn.id}`;
  const first = JSON.parse((await timedRequest(agent, `${base}/deployments?limit=20`, { headers: owner.headers })).body.toString()) as {
    deployments: Array<{ version: number }>;
    nextCursor: string | null;
  };
  if (first.deployments[0]?.version !== VERSIONS || !first.nextCursor) throw new Error(`unexpected first page: ${JSON.stringify(first).slice(0, 300)}`);
  // A cursor deep in the history, of the shape the API hands out (nextCursor of the previous page).
  const middle = Math.floor(VERSIONS / 2) + 1;
  const deepCursor = first.nextCursor.replace(/\d+/, String(middle));
  const deep = JSON.parse((await timedRequest(agent, `${base}/deployments?limit=20&cursor=${deepCursor}`, { headers: owner.headers })).body.toString()) as {
    deployments: Array<{ version: number }>;
  };
  if (deep.deployments[0]?.version !== middle - 1) throw new Error(`the deep page starts at v${deep.deployments[0]?.version}, expected v${middle - 1}`);

  const kinds = {
    [`newest page (?limit=20)`]: `${base}/deployments?limit=20`,
    [`deep page (?limit=20&cursor=${deepCursor}, v${middle - 1}…)`]: `${base}/deployments?limit=20&cursor=${deepCursor}`,
    [`oldest page (?limit=20&cursor=21)`]: `${base}/deployments?limit=20&cursor=21`,
  };
  const pages: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  const baseline: number[] = [];
  for (let i = 0; i < 30; i++) for (const url of [...Object.values(kinds), base]) await timedRequest(agent, url, { headers: owner.headers });
  const rounds = 10;
  const per = Math.ceil(PAGE_SAMPLES / rounds);
  console.log(`timing history pages: ${per * rounds} samples each, ${rounds} alternating rounds…`);
  for (let round = 0; round < rounds; round++) {
    for (const [label, url] of Object.entries(kinds)) {
      for (let i = 0; i < per; i++) {
        const r = await timedRequest(agent, url, { headers: owner.headers });
        if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
        pages[label].push(r.ms);
      }
    }
    for (let i = 0; i < per; i++) baseline.push((await timedRequest(agent, base, { headers: owner.headers })).ms);
  }
  // The history answer also says whether each version's image and archive still exist: one
  // Docker and one S3 listing per function, cached for 3 s. These samples wait that out.
  const expired: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(3_200);
    expired.push((await timedRequest(agent, kinds[`newest page (?limit=20)`], { headers: owner.headers })).ms);
  }
  pages["newest page, artifact cache expired (3 s TTL)"] = expired;
  return { pages, baseline };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
