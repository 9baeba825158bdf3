// What the order of the generated node Dockerfile costs (the proposal in docs/benchmarks.md,
// issue 3): the platform's current Dockerfile with its 4 labels passed as build parameters,
// against the same Dockerfile with the version-independent steps (USER, EXPOSE, CMD) before
// `COPY . .` and the labels in one LABEL step. Engine API builds only, interleaved; no app.
//
//   npx tsx scripts/bench/dockerfile-steps.ts [--runs 8]
import { benchFunctionFiles, buildContextTar, engineBuild, ensureNodeBaseImage, flag, fmt, machineInfo, percentile, removeImages, table } from "./lib";

const RUNS = flag("runs", 8);
const BASE = process.env.NODE_BASE_IMAGE ?? "dartcloud/node-base:local";
const DOCKERFILE = "Dockerfile.dartcloud";

const head = [`FROM ${BASE}`, "WORKDIR /app", "ENV NODE_ENV=production PORT=8080 PATH=/app/node_modules/.bin:$PATH"];
const meta = ["USER 1000:1000", "EXPOSE 8080", 'CMD ["sh","-c","exec node server.js"]'];
// As server/build/dockerfile.ts generates it today; build-image.ts adds 4 labels as build parameters.
const current = [...head, "COPY . .", ...meta].join("\n") + "\n";
const reordered = (id: string) =>
  [...head, ...meta, "COPY . .", `LABEL dartcloud.managed="true" dartcloud.function-id="${id}" dartcloud.version="1" dartcloud.deployment-id="${id}"`].join("\n") + "\n";

async function main() {
  console.log(await machineInfo());
  await ensureNodeBaseImage(BASE);
  const tags: string[] = [];
  const a: number[] = [];
  const b: number[] = [];
  try {
    const build = async (dockerfile: string, version: string, labelCount: number) => {
      const tag = `dartcloud-bench-steps:${version}`;
      tags.push(tag);
      return (await engineBuild(await buildContextTar(benchFunctionFiles(version), DOCKERFILE, dockerfile), DOCKERFILE, tag, labelCount)).ms;
    };
    await build(reordered("warmup"), "warmup", 1);
    for (let i = 1; i <= RUNS; i++) {
      const runA = async () => a.push(await build(current, `current-${i}`, 4));
      const runB = async () => b.push(await build(reordered(`r${i}`), `reordered-${i}`, 1));
      if (i % 2) await runA().then(runB);
      else await runB().then(runA);
    }
    console.log(`\n## Node image build: step order and labels (${RUNS} interleaved builds each)\n`);
    console.log(
      table(
        ["Dockerfile", "p50 ms", "min ms", "max ms"],
        [
          ["current: COPY, then USER/EXPOSE/CMD; 4 labels as build parameters (4 LABEL steps)", percentile(a, 50), Math.min(...a), Math.max(...a)],
          ["proposed: USER/EXPOSE/CMD before COPY; one LABEL step", percentile(b, 50), Math.min(...b), Math.max(...b)],
        ],
      ),
    );
    console.log(`\nproposed / current (p50): ${fmt(percentile(b, 50) / percentile(a, 50))}×`);
  } finally {
    await removeImages(tags);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
