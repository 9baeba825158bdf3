// Writes (or checks) the .d.mts files next to the CLI modules, generated from their JSDoc.
// They exist only so the Vitest files, which are TypeScript, can import the modules with types;
// the CLI itself runs from the .mjs sources with no build step.
//   node bin/dev/declarations.mjs          check: exit 1 when a declaration is stale
//   node bin/dev/declarations.mjs --write  regenerate them
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const binDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VIRTUAL_OUT = path.join(binDir, "__declarations__");
const HEADER = "// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.\n";
const ANY_LINT = "/* eslint-disable @typescript-eslint/no-explicit-any -- the JSDoc says any where the API answer is untyped JSON */\n";

/** @param {string} text */
function withHeader(text) {
  const code = text.split("\n").filter((line) => !/^\s*(\/\*\*|\*)/.test(line));
  return HEADER + (code.some((line) => /\bany\b/.test(line)) ? ANY_LINT : "") + text;
}

/**
 * Type-checks the modules under bin/lib and emits their declarations in memory. Existing
 * .d.mts files are hidden from the compiler so types always come from the sources.
 * @returns {{ diagnostics: string[], declarations: Map<string, string> }} keyed by the path the file belongs at
 */
export function emitDeclarations() {
  const configFile = path.join(binDir, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`Cannot read ${configFile}`);
  const options = { ...parsed.options, noEmit: false, declaration: true, emitDeclarationOnly: true, declarationDir: VIRTUAL_OUT, rootDir: binDir };
  const host = ts.createCompilerHost(options);
  const isHidden = (/** @type {string} */ file) => file.startsWith(binDir + path.sep) && file.endsWith(".d.mts");
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => !isHidden(file) && fileExists(file);
  const roots = parsed.fileNames.filter((f) => !f.endsWith("dart-cloud.mjs"));
  const program = ts.createProgram(roots, options, host);
  /** @type {Map<string, string>} */
  const declarations = new Map();
  const result = program.emit(undefined, (fileName, text) => {
    declarations.set(path.join(binDir, path.relative(VIRTUAL_OUT, fileName)), withHeader(text));
  }, undefined, true);
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].map((d) => {
    const where = d.file && d.start !== undefined ? `${path.relative(binDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
  return { diagnostics, declarations };
}

/**
 * The declaration files whose committed text differs from what the sources give.
 * @param {Map<string, string>} declarations
 * @returns {Promise<string[]>}
 */
export async function staleDeclarations(declarations) {
  const stale = [];
  for (const [file, text] of declarations) {
    const current = await readFile(file, "utf8").catch(() => null);
    if (current !== text) stale.push(path.relative(binDir, file));
  }
  return stale;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { diagnostics, declarations } = emitDeclarations();
  for (const d of diagnostics) console.error(d);
  if (process.argv.includes("--write")) {
    for (const [file, text] of declarations) await writeFile(file, text);
    console.log(`Wrote ${declarations.size} declaration files.`);
  } else {
    const stale = await staleDeclarations(declarations);
    for (const file of stale) console.error(`stale: ${file}`);
    if (stale.length) console.error("Run: node bin/dev/declarations.mjs --write");
    process.exitCode = stale.length || diagnostics.length ? 1 : 0;
  }
}
