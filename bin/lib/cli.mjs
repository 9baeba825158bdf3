import { readFileSync } from "node:fs";
import { checkPositionals, parseArgs } from "./args.mjs";
import { login, logout, whoami } from "./commands/auth.mjs";
import { deploy } from "./commands/deploy.mjs";
import { history, list, logs, rollback } from "./commands/functions.mjs";
import { invoke } from "./commands/invoke.mjs";
import { CliError, EXIT } from "./errors.mjs";
import { createOutput } from "./output.mjs";

/**
 * @typedef {import("./args.mjs").CommandSpec & { run: (ctx: import("./context.mjs").Context) => Promise<number>, help: string }} Command
 */

/** @type {Record<string, Command>} */
export const COMMANDS = {
  login: {
    usage: "login [--email <email>]",
    summary: "Sign in and save an API token",
    help: "Asks for your email and password (or reads DART_CLOUD_EMAIL and DART_CLOUD_PASSWORD) and saves a token for the server.",
    minPositionals: 0,
    maxPositionals: 0,
    options: { email: { type: "string" } },
    run: login,
  },
  logout: {
    usage: "logout",
    summary: "Revoke and forget the saved token",
    help: "Revokes the saved token on the server and deletes it from this machine.",
    minPositionals: 0,
    maxPositionals: 0,
    options: {},
    run: logout,
  },
  whoami: {
    usage: "whoami",
    summary: "Show who you are signed in as",
    help: "Shows the account and server of the saved token (or DART_CLOUD_TOKEN) and checks that the server still accepts it.",
    minPositionals: 0,
    maxPositionals: 0,
    options: {},
    run: whoami,
  },
  deploy: {
    usage: "deploy [dir] [--name <name>] [--runtime dart|node|dockerfile] [--no-wait] [--timeout <seconds>]",
    summary: "Pack a folder, upload it as a new version, follow the build",
    help: [
      "Packs dir (default: the current folder) into a .tar.gz, uploads it as the next version and prints the build log.",
      "Exits 0 only once the new version is active.",
      "",
      "  --name <name>       function name (default: from package.json, pubspec.yaml or the folder name)",
      "  --runtime <r>       dart, node or dockerfile (default: Dockerfile → dockerfile, pubspec.yaml → dart, package.json → node)",
      "  --no-wait           return once uploaded, without following the build",
      "  --timeout <s>       how long to follow the build (default 900)",
      "",
      "Always skipped: .git, node_modules, .dart_tool. List more in .dartcloudignore (gitignore syntax).",
    ].join("\n"),
    minPositionals: 0,
    maxPositionals: 1,
    options: { name: { type: "string" }, runtime: { type: "string" }, wait: { type: "boolean", default: true }, timeout: { type: "string" } },
    run: deploy,
  },
  list: {
    usage: "list",
    summary: "List your functions",
    help: "Lists your functions with their runtime, status and active version.",
    minPositionals: 0,
    maxPositionals: 0,
    options: {},
    run: list,
  },
  history: {
    usage: "history <function> [--limit <n>]",
    summary: "Show a function's versions",
    help: "Shows the versions of a function, newest first; * marks the active one.\n\n  --limit <n>   how many versions (default 20, at most 100)",
    minPositionals: 1,
    maxPositionals: 1,
    options: { limit: { type: "string" } },
    run: history,
  },
  rollback: {
    usage: "rollback <function> [version]",
    summary: "Make an earlier version active again",
    help: "Makes the given version active. Without a version: the newest successfully built version older than the active one.",
    minPositionals: 1,
    maxPositionals: 2,
    options: {},
    run: rollback,
  },
  invoke: {
    usage: "invoke <function> [--data <body>|@file|@-] [--method <m>] [--path <p>] [--header 'Name: value']",
    summary: "Call a function and print its answer",
    help: [
      "Calls the function and prints the body of its answer. With --json: status, headers (incl. X-Function-Version) and body.",
      "Exits 8 when the function answers with a status of 400 or more.",
      "",
      "  -d, --data <body>     request body; @file reads a file, @- standard input (JSON bodies get Content-Type: application/json)",
      "  -X, --method <m>      HTTP method (default GET, or POST with --data)",
      "  --path <p>            path and query below the function, e.g. /users?id=1",
      "  -H, --header <h>      extra request header, repeatable",
    ].join("\n"),
    minPositionals: 1,
    maxPositionals: 1,
    options: {
      data: { type: "string", short: "d" },
      method: { type: "string", short: "X" },
      path: { type: "string" },
      header: { type: "string", short: "H", multiple: true },
    },
    run: invoke,
  },
  logs: {
    usage: "logs <function> [--limit <n>]",
    summary: "Show a function's audit trail",
    help: "Shows deploys, activations, rollbacks and other changes of a function, newest first.\n\n  --limit <n>   how many entries (default 50, at most 200)",
    minPositionals: 1,
    maxPositionals: 1,
    options: { limit: { type: "string" } },
    run: logs,
  },
};

const GLOBAL_HELP = [
  "Global options:",
  "  --url <url>    server URL (default: DART_CLOUD_URL, the URL you signed in to, or http://localhost:3000)",
  "  --json         print one JSON document for scripts",
  "  -h, --help     show help",
  "  -v, --version  show the CLI version",
].join("\n");

/** @returns {string} */
export function mainHelp() {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "dart-cloud: deploy and manage functions on Dart Cloud",
    "",
    "Usage: dart-cloud <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    GLOBAL_HELP,
    "",
    "Run `dart-cloud <command> --help` for a command's options. Docs: docs/cli.md",
  ].join("\n");
}

/**
 * @param {string} name
 * @returns {string}
 */
export function commandHelp(name) {
  const c = COMMANDS[name];
  return [`Usage: dart-cloud ${c.usage}`, "", c.help, "", GLOBAL_HELP].join("\n");
}

function cliVersion() {
  try {
    return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Runs the CLI once and returns the exit code. Everything it touches comes in through the
 * arguments, so it can be driven from tests.
 * @param {{ argv: string[], env: Record<string, string | undefined>, cwd: string, io: import("./context.mjs").IO, fetch?: typeof fetch, pollIntervalMs?: number }} options
 * @returns {Promise<number>}
 */
export async function main({ argv, env, cwd, io, fetch: fetchImpl, pollIntervalMs = 1000 }) {
  const wantsJson = argv.includes("--json");
  let out = createOutput({ stdout: io.stdout, stderr: io.stderr, json: wantsJson, env });
  try {
    const parsed = parseArgs(argv, COMMANDS);
    out = createOutput({ stdout: io.stdout, stderr: io.stderr, json: parsed.options.json === true, env });
    if (parsed.options.version) {
      io.stdout.write(`${cliVersion()}\n`);
      return EXIT.OK;
    }
    if (!parsed.command) {
      (parsed.options.help ? io.stdout : io.stderr).write(mainHelp() + "\n");
      return parsed.options.help ? EXIT.OK : EXIT.USAGE;
    }
    if (parsed.options.help) {
      io.stdout.write(commandHelp(parsed.command) + "\n");
      return EXIT.OK;
    }
    const command = COMMANDS[parsed.command];
    checkPositionals(command, parsed.positionals);
    return await command.run({ positionals: parsed.positionals, options: parsed.options, env, cwd, io, out, fetch: fetchImpl, pollIntervalMs });
  } catch (error) {
    return reportError(out, error);
  }
}

/**
 * Prints an error for a person (stderr) and, with --json, as a JSON document on stdout.
 * @param {import("./output.mjs").Output} out
 * @param {unknown} error
 * @returns {number} the exit code
 */
export function reportError(out, error) {
  if (error instanceof CliError) {
    out.error(error.message);
    out.result({ error: error.message, code: error.code, exitCode: error.exitCode, ...(error.status ? { status: error.status } : {}), ...(error.details ? { details: error.details } : {}) });
    return error.exitCode;
  }
  if (/** @type {{ cancelled?: boolean }} */ (error)?.cancelled) {
    out.error("Cancelled.");
    return 130;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.error(`Unexpected error: ${message}`);
  if (error instanceof Error && error.stack && process.env.DART_CLOUD_DEBUG) out.note(error.stack);
  out.result({ error: message, code: "unexpected", exitCode: EXIT.UNEXPECTED });
  return EXIT.UNEXPECTED;
}
