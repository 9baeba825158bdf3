import { usageError } from "./errors.mjs";

/**
 * @typedef {object} OptionSpec
 * @property {"boolean" | "string"} type
 * @property {string} [short] one-letter alias, e.g. "d" for -d
 * @property {boolean} [multiple] a string option that may repeat (values collect into an array)
 * @property {string | boolean} [default]
 */

/** @typedef {Record<string, OptionSpec>} OptionSpecs */

/**
 * @typedef {object} CommandSpec
 * @property {string} usage e.g. "deploy [dir]"
 * @property {string} summary one line for the command list
 * @property {number} minPositionals
 * @property {number} maxPositionals
 * @property {OptionSpecs} options
 */

/**
 * @typedef {object} ParsedArgs
 * @property {string | null} command
 * @property {string[]} positionals
 * @property {Record<string, string | boolean | string[] | undefined>} options
 */

/**
 * Options every command understands; they may stand before or after the command.
 * @type {OptionSpecs}
 */
export const GLOBAL_OPTIONS = {
  url: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "v", default: false },
};

/**
 * Splits argv (without `node` and the script) into command, positionals and options.
 * Accepts `--opt value`, `--opt=value`, `-x value`, `--no-<boolean>` and `--` (the rest is
 * positional). Unknown options are an error rather than silently ignored, so a typo such as
 * `--nmae` does not deploy under the wrong name.
 *
 * @param {string[]} argv
 * @param {Record<string, CommandSpec>} commands
 * @returns {ParsedArgs}
 */
export function parseArgs(argv, commands) {
  /** @type {string | null} */
  let command = null;
  /** @type {string[]} */
  const positionals = [];
  /** @type {Record<string, string | boolean | string[] | undefined>} */
  const options = {};
  let specs = GLOBAL_OPTIONS;
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (onlyPositionals || token === "-" || !token.startsWith("-")) {
      if (command === null) {
        command = token;
        const spec = commands[token];
        if (!spec) throw usageError(`Unknown command "${token}". Run \`dart-cloud --help\` for the list of commands.`);
        specs = { ...GLOBAL_OPTIONS, ...spec.options };
      } else {
        positionals.push(token);
      }
      continue;
    }
    if (token === "--") {
      onlyPositionals = true;
      continue;
    }

    const { name, inlineValue } = splitOption(token, specs, command);
    let spec = specs[name];
    let value = /** @type {string | boolean | undefined} */ (inlineValue);
    if (!spec && name.startsWith("no-") && specs[name.slice(3)]?.type === "boolean") {
      if (inlineValue !== undefined) throw usageError(`--${name} does not take a value.`);
      options[name.slice(3)] = false;
      continue;
    }
    if (!spec) throw unknownOption(token, command);

    if (spec.type === "boolean") {
      if (inlineValue !== undefined) {
        if (!/^(true|false)$/.test(inlineValue)) throw usageError(`--${name} is a switch; use --${name} or --${name}=false.`);
        value = inlineValue === "true";
      } else {
        value = true;
      }
      options[name] = value;
      continue;
    }

    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined) throw usageError(`--${name} needs a value, e.g. --${name} <value>.`);
      value = next;
      i++;
    }
    if (spec.multiple) {
      const list = /** @type {string[]} */ (options[name] ?? []);
      options[name] = [...list, String(value)];
    } else {
      options[name] = value;
    }
  }

  for (const [name, spec] of Object.entries(specs)) {
    if (options[name] === undefined && spec.default !== undefined) options[name] = spec.default;
  }
  return { command, positionals, options };
}

/**
 * @param {string} token
 * @param {OptionSpecs} specs
 * @param {string | null} command
 * @returns {{ name: string, inlineValue: string | undefined }}
 */
function splitOption(token, specs, command) {
  if (token.startsWith("--")) {
    const eq = token.indexOf("=");
    return eq === -1 ? { name: token.slice(2), inlineValue: undefined } : { name: token.slice(2, eq), inlineValue: token.slice(eq + 1) };
  }
  // -x, or -xVALUE for a string option.
  const letter = token.slice(1, 2);
  const entry = Object.entries(specs).find(([, spec]) => spec.short === letter);
  if (!entry) throw unknownOption(token, command);
  const rest = token.slice(2);
  return { name: entry[0], inlineValue: rest === "" ? undefined : rest.replace(/^=/, "") };
}

/**
 * @param {string} token
 * @param {string | null} command
 */
function unknownOption(token, command) {
  const help = command ? `dart-cloud ${command} --help` : "dart-cloud --help";
  return usageError(`Unknown option ${token}${command ? ` for ${command}` : ""}. Run \`${help}\` to see the options.`);
}

/**
 * Checks the positional count against the command's usage.
 * @param {CommandSpec} spec
 * @param {string[]} positionals
 */
export function checkPositionals(spec, positionals) {
  if (positionals.length < spec.minPositionals) {
    throw usageError(`Missing argument. Usage: dart-cloud ${spec.usage}`);
  }
  if (positionals.length > spec.maxPositionals) {
    throw usageError(`Too many arguments (${positionals.slice(spec.maxPositionals).join(" ")}). Usage: dart-cloud ${spec.usage}`);
  }
}

/**
 * A positive whole number from an option or argument.
 * @param {unknown} value
 * @param {string} what e.g. "--limit"
 * @returns {number}
 */
export function positiveInteger(value, what) {
  const text = String(value);
  if (!/^[1-9][0-9]*$/.test(text)) throw usageError(`${what} must be a whole number of 1 or more, not "${text}".`);
  return Number(text);
}
