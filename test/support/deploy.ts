import { nodeFunctionFiles } from "../fixtures/node-function";
import type { Owner } from "../../server/auth/owner";
import { deployVersion } from "../../server/deployments/deploy-version";
import { receivedArchive } from "./owners";

/** Deploys a node test function (its answers carry `version`) by name, waiting for the build by default. */
export async function deployNode(owner: Owner, name: string, version: string | number, opts: { wait?: boolean; files?: Record<string, string>; runtime?: string } = {}) {
  const archive = await receivedArchive(opts.files ?? nodeFunctionFiles({ version }));
  return deployVersion(owner, { name, runtime: opts.runtime ?? "node" }, archive, { wait: opts.wait ?? true });
}

/** A dockerfile-runtime function whose Dockerfile runs `step` before serving the node test function. */
export function dockerfileFunction(version: string | number, step: string): Record<string, string> {
  return {
    ...nodeFunctionFiles({ version }),
    Dockerfile: [`FROM ${process.env.NODE_BASE_IMAGE ?? "dartcloud/node-base:local"}`, "WORKDIR /app", "COPY . .", step, "USER 1000", 'CMD ["node", "server.js"]', ""].join("\n"),
  };
}
