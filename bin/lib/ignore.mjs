/**
 * gitignore-style patterns for `.dartcloudignore`: `#` comments, `!` re-includes, a trailing
 * `/` matches folders only, a pattern with a `/` before its end is anchored at the root,
 * `*`, `?`, `[a-z]` and `**` work as in git. The last matching pattern wins, and (as in git)
 * nothing inside an ignored folder can be re-included: the packer never walks into it.
 */

export const IGNORE_FILE = ".dartcloudignore";

/** Never deployed, whatever `.dartcloudignore` says. */
export const ALWAYS_IGNORED = Object.freeze([".git", "node_modules", ".dart_tool"]);

/**
 * Ignored unless `.dartcloudignore` re-includes them. The node image runs no build step, so
 * compiled output such as dist/ must be deployed; only caches are skipped.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const DEFAULT_PATTERNS = Object.freeze({
  common: [".DS_Store", "Thumbs.db", "*.swp", ".dartcloud-*.tar.gz"],
  // Dart rebuilds everything in the image (pub get, dart compile), so local build output is noise.
  dart: ["/build/", ".packages"],
  node: [".next/cache/", "npm-debug.log*", ".npm/"],
  dockerfile: [],
});

/**
 * @typedef {object} IgnoreRule
 * @property {string} pattern the line it came from
 * @property {RegExp} regex
 * @property {boolean} negated
 * @property {boolean} dirOnly
 * @property {boolean} basename matched against the last path segment only
 */

/**
 * Parses the text of an ignore file into rules (blank lines and comments dropped).
 * @param {string} text
 * @returns {IgnoreRule[]}
 */
export function parseIgnore(text) {
  /** @type {IgnoreRule[]} */
  const rules = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const rule = compileRule(rawLine);
    if (rule) rules.push(rule);
  }
  return rules;
}

/**
 * @param {string} rawLine
 * @returns {IgnoreRule | null}
 */
export function compileRule(rawLine) {
  // Trailing spaces are dropped unless escaped with a backslash.
  let line = rawLine.replace(/(?<!\\)\s+$/, "");
  if (line === "" || line.startsWith("#")) return null;
  let negated = false;
  if (line.startsWith("!")) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith("/") && !line.endsWith("\\/")) {
    dirOnly = true;
    line = line.replace(/\/+$/, "");
  }
  if (line === "") return null;
  // A slash at the start or in the middle anchors the pattern at the root.
  const anchored = line.includes("/");
  if (line.startsWith("/")) line = line.slice(1);
  const body = globToRegex(line);
  return { pattern: rawLine.trim(), regex: new RegExp(`^${body}$`), negated, dirOnly, basename: !anchored };
}

/**
 * @param {string} glob a pattern without a leading slash
 * @returns {string} regex source
 */
function globToRegex(glob) {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0;
        const afterSlash = glob[i + 2] === "/";
        const atEnd = i + 2 === glob.length;
        const beforeSlash = i > 0 && glob[i - 1] === "/";
        if (atStart && afterSlash) {
          out += "(?:.*/)?"; // **/x: x in any folder
          i += 3;
          continue;
        }
        if (beforeSlash && atEnd) {
          out += ".*"; // x/**: everything inside x
          i += 2;
          continue;
        }
        if (beforeSlash && afterSlash) {
          out += "(?:.*/)?"; // a/**/b: zero or more folders between
          i += 3;
          continue;
        }
        out += "[^/]*"; // any other ** acts like *
        i += 2;
        continue;
      }
      out += "[^/]*";
      i++;
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) {
        out += "\\[";
        i++;
        continue;
      }
      let set = glob.slice(i + 1, close);
      if (set.startsWith("!") || set.startsWith("^")) set = "^" + set.slice(1);
      out += `[${set.replace(/\\/g, "\\\\").replace(/\//g, "")}]`;
      i = close + 1;
    } else if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1]);
      i += 2;
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  return out;
}

/** @param {string} s */
function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * @typedef {(relativePath: string, isDirectory: boolean) => boolean} IgnoreMatcher
 */

/**
 * The matcher the packer uses: ALWAYS_IGNORED names at any depth, then the runtime's defaults,
 * then the user's `.dartcloudignore` (last match wins).
 * @param {{ runtime?: string, ignoreFileText?: string }} [options]
 * @returns {IgnoreMatcher}
 */
export function createIgnoreMatcher({ runtime, ignoreFileText = "" } = {}) {
  const defaults = [...DEFAULT_PATTERNS.common, ...((runtime && DEFAULT_PATTERNS[runtime]) || [])];
  const rules = [...defaults.map((p) => /** @type {IgnoreRule} */ (compileRule(p))), ...parseIgnore(ignoreFileText)];
  const always = new Set(ALWAYS_IGNORED);
  return (relativePath, isDirectory) => {
    const segments = relativePath.split("/");
    if (segments.some((s) => always.has(s))) return true;
    return isIgnoredBy(rules, relativePath, isDirectory);
  };
}

/**
 * @param {IgnoreRule[]} rules
 * @param {string} relativePath posix path from the deployed folder, no leading "./"
 * @param {boolean} isDirectory
 * @returns {boolean}
 */
export function isIgnoredBy(rules, relativePath, isDirectory) {
  const base = relativePath.slice(relativePath.lastIndexOf("/") + 1);
  let ignored = false;
  for (const rule of rules) {
    if (rule.dirOnly && !isDirectory) continue;
    if (rule.regex.test(rule.basename ? base : relativePath)) ignored = !rule.negated;
  }
  return ignored;
}
