#!/usr/bin/env node
// The dart-cloud command: deploy and manage functions through the Dart Cloud REST API.
import { main } from "./lib/cli.mjs";

const code = await main({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), io: process });
// Let pending writes to a pipe drain before exiting.
process.exitCode = code;
