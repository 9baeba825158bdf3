// Issue 3: how much the platform adds to an image build, end to end.
//
//   npx next build                       (once; the benchmark runs the production build)
//   npx tsx scripts/bench/deploy.ts [--runs 8]
//
// Each run deploys a new version of a small node function through the REST API (upload to
// active: POST /api/functions/{id}/deployments?wait=true), and builds the same build context
// with the same generated Dockerfile directly through the Docker Engine API (and with the
// docker CLI, for reference). The three are interleaved, and each run changes the function's
// source, so Docker's layer cache treats all three alike: the FROM/WORKDIR/ENV layers are
// cached (same base, as for every real version), COPY and everything after it is built fresh.
// No --no-cache: the platform does not use it either.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  apiJson,
  buildContextTar,
  cliBuild,
  deleteFunctions,
  deployArchive,
  directColdStart,
  dockerfileFromBuildLog,
  engineBuild,
  flag,
  fmt,
  machineInfo,
  makeTarGz,
  mean,
  newOwner,
  benchFunctionFiles,
  percentile,
  removeImages,
  requireProductionBuild,
  startServer,
  table,
  verdict,
} from "./lib";

const RUNS = flag("runs", 8);
const PORT = flag("port", 3400);
const S3_PORT = flag("s3-port", 3401);
const DOCKERFILE = "Dockerfile.dartcloud";
const TARGET_OVERHEAD = 0.2;

type DeploymentView = { deployedAt: string; buildStartedAt: string; buildFinishedAt: string; activatedAt: string; buildLog: string };

async function main() {
  requireProductionBuild();
  console.log(await machineInfo());
  console.log(`\nstarting the production app on 127.0.0.1:${PORT} (embedded S3 on ${S3_PORT})…`);
  const server = await startServer({ name: "deploy", port: PORT, s3Port: S3_PORT });
  const owner = await newOwner(server.baseUrl, "deploy");
  const baselineTags: string[] = [];
  let functionId: string | undefined;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "dartcloud-bench-deploy-"));
  try {
    // Warm-up: the first deploy creates the function; its build log gives the exact Dockerfile.
    const first = await deployArchive(server.baseUrl, owner, { name: "bench-deploy" }, await makeTarGz(benchFunctionFiles("warmup")));
    functionId = first.id;
    const detail = await apiJson<DeploymentView>(server.baseUrl, owner, `/api/functions/${functionId}/deployments/${first.version}`);
    const { dockerfile, labelCount } = dockerfileFromBuildLog(detail.buildLog);
    console.log(`\nthe platform's Dockerfile (from the v${first.version} build log; plus ${labelCount} labels passed as build parameters):\n${dockerfile}`);
    const warmTag = "dartcloud-bench-deploy:warmup";
    baselineTags.push(warmTag);
    await engineBuild(await buildContextTar(benchFunctionFiles("baseline-warmup"), DOCKERFILE, dockerfile), DOCKERFILE, warmTag, labelCount);

    const platform: number[] = [];
    const engine: number[] = [];
    const cli: number[] = [];
    const coldStart: number[] = [];
    const phases = { upload: [] as number[], queue: [] as number[], build: [] as number[], start: [] as number[], answer: [] as number[] };

    const runPlatform = async (i: number) => {
      const archive = await makeTarGz(benchFunctionFiles(`platform-${i}`));
      const t0 = Date.now();
      const started = performance.now();
      const answer = await deployArchive(server.baseUrl, owner, { id: functionId! }, archive);
      platform.push(performance.now() - started);
      const t1 = Date.now();
      const d = await apiJson<DeploymentView>(server.baseUrl, owner, `/api/functions/${functionId}/deployments/${answer.version}`);
      const at = (s: string) => new Date(s).getTime();
      phases.upload.push(at(d.deployedAt) - t0);
      phases.queue.push(at(d.buildStartedAt) - at(d.deployedAt));
      phases.build.push(at(d.buildFinishedAt) - at(d.buildStartedAt));
      phases.start.push(at(d.activatedAt) - at(d.buildFinishedAt));
      phases.answer.push(t1 - at(d.activatedAt));
    };
    const runEngine = async (i: number) => {
      const tag = `dartcloud-bench-deploy:engine-${i}`;
      baselineTags.push(tag);
      engine.push((await engineBuild(await buildContextTar(benchFunctionFiles(`engine-${i}`), DOCKERFILE, dockerfile), DOCKERFILE, tag, labelCount)).ms);
      // And the same image started directly, to its first HTTP answer: what "active" adds to "built".
      const started = await directColdStart(tag);
      coldStart.push(started.ms);
      await started.remove();
    };
    const runCli = async (i: number) => {
      const dir = path.join(tmp, `cli-${i}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      for (const [name, content] of Object.entries(benchFunctionFiles(`cli-${i}`))) await writeFile(path.join(dir, name), content, { mode: 0o644 });
      await writeFile(path.join(dir, DOCKERFILE), dockerfile);
      const tag = `dartcloud-bench-deploy:cli-${i}`;
      baselineTags.push(tag);
      cli.push(await cliBuild(dir, DOCKERFILE, tag, labelCount));
    };

    // Rotate the order each run so no side always goes first (or last) after the others.
    const order = [runPlatform, runEngine, runCli];
    for (let i = 1; i <= RUNS; i++) {
      const rotated = [...order.slice((i - 1) % 3), ...order.slice(0, (i - 1) % 3)];
      for (const step of rotated) await step(i);
      console.log(`run ${i}/${RUNS}: platform ${fmt(platform.at(-1)!)} ms, engine build ${fmt(engine.at(-1)!)} ms, docker CLI build ${fmt(cli.at(-1)!)} ms`);
    }

    const buildAndStart = engine.map((b, k) => b + coldStart[k]);
    const p50 = { platform: percentile(platform, 50), engine: percentile(engine, 50), cli: percentile(cli, 50), buildAndStart: percentile(buildAndStart, 50) };
    const overhead = p50.platform / p50.engine - 1;
    const overheadVsCli = p50.platform / p50.cli - 1;
    const overheadVsBuildAndStart = p50.platform / p50.buildAndStart - 1;
    // Each run's platform deploy against the engine build next to it: steadier than a ratio of
    // medians when other work on the machine slows some runs down.
    const pairedOverhead = percentile(platform.map((p, k) => p / engine[k] - 1), 50);
    // The platform's own time outside the image build (server timestamps), whatever the build took.
    const outsideBuild = platform.map((p, k) => p - phases.build[k]);
    console.log(`\n## Deploy: upload to active vs the image build alone (${RUNS} runs each, interleaved)\n`);
    console.log(
      table(
        ["what", "p50 ms", "mean ms", "min ms", "max ms"],
        [
          ["platform: upload → active (POST …/deployments?wait=true)", p50.platform, mean(platform), Math.min(...platform), Math.max(...platform)],
          ["baseline: docker build via Engine API (same context + Dockerfile)", p50.engine, mean(engine), Math.min(...engine), Math.max(...engine)],
          ["reference: `docker build` CLI (same context + Dockerfile)", p50.cli, mean(cli), Math.min(...cli), Math.max(...cli)],
          ["reference: the built image started directly, to its first answer", percentile(coldStart, 50), mean(coldStart), Math.min(...coldStart), Math.max(...coldStart)],
          ["reference: Engine API build + direct start (sum per run)", p50.buildAndStart, mean(buildAndStart), Math.min(...buildAndStart), Math.max(...buildAndStart)],
        ],
      ),
    );
    console.log(
      `\noverhead (p50 platform / p50 engine build − 1): ${fmt(overhead * 100, 0)}%  — target < ${TARGET_OVERHEAD * 100}%: ${verdict(overhead < TARGET_OVERHEAD)}`,
    );
    console.log(`median of the per-run overheads (each deploy vs the engine build next to it): ${fmt(pairedOverhead * 100, 0)}%`);
    console.log(
      `the platform's time outside the image build (total − its build phase): p50 ${fmt(percentile(outsideBuild, 50))} ms = ${fmt((percentile(outsideBuild, 50) / p50.engine) * 100, 0)}% of the p50 engine build`,
    );
    console.log(`overhead vs the docker CLI build: ${fmt(overheadVsCli * 100, 0)}%`);
    console.log(`overhead vs build + direct container start (the work "active" needs at minimum): ${fmt(overheadVsBuildAndStart * 100, 0)}%`);
    console.log(`\n### Where the platform's time goes (server timestamps, ms; p50 / mean)\n`);
    console.log(
      table(
        ["phase", "p50 ms", "mean ms"],
        [
          ["upload streamed + validated (request → version transaction began)", percentile(phases.upload, 50), mean(phases.upload)],
          ["S3 put, commit, queue → build started", percentile(phases.queue, 50), mean(phases.queue)],
          ["build (context re-stream + engine build + inspect)", percentile(phases.build, 50), mean(phases.build)],
          ["built → active (start container, health check, switch)", percentile(phases.start, 50), mean(phases.start)],
          ["active → answer received (wait loop, response)", percentile(phases.answer, 50), mean(phases.answer)],
        ],
      ),
    );
  } finally {
    if (functionId) await deleteFunctions(server.baseUrl, owner, [functionId]);
    await server.stop();
    await removeImages(baselineTags);
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
