/**
 * `deno run -A scripts/check_test_logs.ts [--clear] [--verbose]`: the log audit run after the test suite by
 * `deno task test`. Every gateway a test creates logs through tests/support/log_tap.ts into
 * `$OCB_TEST_LOG_DIR` (default `.cache/test-logs/`); this reads every tap file and fails (exit 1) when a line
 * holds any key the tests use, whole or as a 12-character fragment of a key of 16 characters or more, or
 * when fewer than 500 request lines were captured (an empty run proves nothing).
 *
 * The keys are derived from the tests' source: string literals in credential positions (`x-api-key`,
 * `authorization: "Bearer …"`, `apiKey:`, `key:`, `OPENCODE_API_KEY`, `GATEWAY_KEYS`, `*_KEY`/`*_TOKEN`
 * variables, `${NAME}` resolved in template literals), plus key-shaped literals anywhere (`sk-…`, `test-key…`,
 * `gw-key…`, `gwk-…`, `AIza…`), plus the explicit list in tests/support/test_keys.ts.
 *
 * `--clear` empties the tap directory instead (run before the tests).
 */
import { TEST_KEYS } from "../tests/support/test_keys.ts";

export const MIN_REQUEST_LINES = 500;
export const FRAGMENT_LENGTH = 12;
export const FRAGMENT_MIN_KEY_LENGTH = 16;
/**
 * Shorter values (`"k"`, `"sk"`) are everywhere in ordinary text, so a search of every test's lines cannot tell
 * them from a leak. The gateway itself removes configured keys of any length from the strings of its own lines
 * (lib/log/scrub_values.ts); tests/config_hardening_test.ts checks that per gateway for 1- to 4-character keys.
 */
export const MIN_KEY_LENGTH = 4;

const repoRoot = decodeURIComponent(new URL("../", import.meta.url).pathname);

export function defaultLogDir(): string {
  return Deno.env.get("OCB_TEST_LOG_DIR") || `${repoRoot}.cache/test-logs/`;
}

// ---- key derivation -------------------------------------------------------------------------------------------

interface Literal {
  /** The literal's text, escapes left as written; template literals keep their `${…}` parts. */
  text: string;
  template: boolean;
  /** Offset of the opening quote in the source. */
  start: number;
}

/**
 * The string and template literals of a TypeScript source, comments skipped. Regex literals are recognised
 * by the token before the slash, which is enough for test code.
 */
export function stringLiterals(source: string): Literal[] {
  const literals: Literal[] = [];
  let i = 0;
  let lastSignificant = "";
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < n && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      const start = i;
      i = skipString(source, i);
      literals.push({ text: source.slice(start + 1, i - 1), template: c === "`", start });
      lastSignificant = c;
      continue;
    }
    if (c === "/" && (lastSignificant === "" || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastSignificant))) {
      i = skipRegex(source, i);
      lastSignificant = "/";
      continue;
    }
    if (!/\s/.test(c)) {
      // `return /re/` and `typeof /re/` are rare enough in tests to ignore.
      lastSignificant = c;
    }
    i++;
  }
  return literals;
}

function skipString(source: string, open: number): number {
  const quote = source[open];
  let i = open + 1;
  let depth = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (quote === "`") {
      if (depth === 0 && c === "`") return i + 1;
      if (c === "$" && source[i + 1] === "{") {
        depth++;
        i += 2;
        continue;
      }
      if (depth > 0 && c === "}") depth--;
      else if (depth > 0 && (c === '"' || c === "'" || c === "`")) {
        i = skipString(source, i);
        continue;
      }
    } else if (c === quote || c === "\n") {
      return i + 1;
    }
    i++;
  }
  return i;
}

function skipRegex(source: string, open: number): number {
  let i = open + 1;
  let inClass = false;
  while (i < source.length && source[i] !== "\n") {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) return i + 1;
    i++;
  }
  return i;
}

/** Names whose string value is a credential: header names and SDK options (any case)… */
const credentialHeader = String
  .raw`(?:x-)?(?:goog-)?api[-_]?key|(?:proxy-)?authorization|key|token|secret|password`;
/** …and, case-sensitive, settings and variables: `OPENCODE_API_KEY`, `GATEWAY_KEYS`, `CLIENT_KEY`, `apiKey`. */
const credentialVariable = String
  .raw`[A-Z][A-Z0-9_]*_(?:KEYS?|TOKEN|SECRET)|[a-z][A-Za-z0-9]*(?:Key|Token|Secret)`;
/** A literal right after one of these is a credential: `name: "…"`, `"name", "…"` (headers.set), `NAME = "…"`. */
const credentialPosition = [
  new RegExp(String.raw`(?:^|[^\w-])["'\`]?(?:${credentialHeader})["'\`]?\s*[:=]\s*$`, "i"),
  new RegExp(String.raw`["'](?:${credentialHeader})["']\s*,\s*$`, "i"),
  new RegExp(String.raw`(?:^|[^\w-])["'\`]?(?:${credentialVariable})["'\`]?\s*[:=]\s*$`),
];
/** Key shapes that count wherever they appear in a literal. */
const keyShaped =
  /(?<![\w-])(?:sk-[A-Za-z0-9_-]+|test-key[A-Za-z0-9_-]*|gw-key[A-Za-z0-9_-]*|gwk-[A-Za-z0-9_-]+|AIza[0-9A-Za-z_-]{8,})/g;
/** What a key value looks like; rules out `[redacted]`, sentences and URLs. */
const keyValue = /^[A-Za-z0-9._~+/=-]+$/;

function unescape(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

/** Candidate keys from one source file: credential-position literals (resolved) and key-shaped literals. */
export function keysInSource(source: string, constants = new Map<string, string>()): string[] {
  const found: string[] = [];
  const literals = stringLiterals(source);
  // Plain `const NAME = "…"` values, for `${NAME}` in template literals.
  for (const literal of literals) {
    const before = source.slice(Math.max(0, literal.start - 80), literal.start);
    const declared = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*$/.exec(before);
    if (declared && !literal.text.includes("${")) constants.set(declared[1], unescape(literal.text));
  }
  for (const literal of literals) {
    let text = unescape(literal.text);
    if (literal.template && text.includes("${")) {
      let unresolved = false;
      text = text.replace(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}/g, (_, name: string) => {
        const value = constants.get(name);
        if (value === undefined) unresolved = true;
        return value ?? "";
      });
      if (unresolved || text.includes("${")) text = "";
    }
    const before = source.slice(Math.max(0, literal.start - 80), literal.start);
    if (text && credentialPosition.some((position) => position.test(before))) {
      for (const part of text.replace(/^(Bearer|Basic)\s+/i, "").split(",")) found.push(part.trim());
    }
    for (const match of unescape(literal.text).matchAll(keyShaped)) found.push(match[0]);
  }
  return found;
}

/** Keeps values that can be told apart from ordinary log text: key-like, at least MIN_KEY_LENGTH long. */
export function usableKey(value: string): boolean {
  return value.length >= MIN_KEY_LENGTH && keyValue.test(value) && !/^[A-Za-z]+$/.test(value);
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir.replace(/\/$/, "")}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile && path.endsWith(".ts")) yield path;
  }
}

/** Every key the tests use: derived from `testsDir`'s .ts files, plus `explicit`. Sorted, unique. */
export async function deriveKeys(
  testsDir: string,
  explicit: readonly string[] = TEST_KEYS,
): Promise<string[]> {
  const files: string[] = [];
  for await (const path of walk(testsDir)) files.push(path);
  files.sort();
  const constants = new Map<string, string>();
  const keys = new Set<string>(explicit);
  for (const path of files) {
    for (const key of keysInSource(await Deno.readTextFile(path), constants)) {
      if (usableKey(key)) keys.add(key);
    }
  }
  return [...keys].sort();
}

// ---- the audit ------------------------------------------------------------------------------------------------

export function mask(key: string): string {
  return `${key.slice(0, 4)}…(${key.length} chars)`;
}

interface Needle {
  text: string;
  key: string;
  fragment: boolean;
}

function needles(keys: readonly string[]): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (!seen.has(key)) out.push({ text: key, key, fragment: false });
    seen.add(key);
  }
  for (const key of keys) {
    if (key.length < FRAGMENT_MIN_KEY_LENGTH) continue;
    for (let start = 0; start + FRAGMENT_LENGTH <= key.length; start++) {
      const text = key.slice(start, start + FRAGMENT_LENGTH);
      if (!seen.has(text)) out.push({ text, key, fragment: true });
      seen.add(text);
    }
  }
  return out;
}

export interface Leak {
  file: string;
  line: number;
  key: string;
  fragment: boolean;
}

export interface AuditResult {
  files: number;
  lines: number;
  requestLines: number;
  keys: number;
  leaks: Leak[];
}

export async function audit(logDir: string, keys: readonly string[]): Promise<AuditResult> {
  const list = needles(keys);
  const result: AuditResult = { files: 0, lines: 0, requestLines: 0, keys: keys.length, leaks: [] };
  let names: string[] = [];
  try {
    for await (const entry of Deno.readDir(logDir)) if (entry.isFile) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  names = names.sort();
  for (const name of names) {
    const file = `${logDir.replace(/\/$/, "")}/${name}`;
    result.files++;
    const lines = (await Deno.readTextFile(file)).split("\n");
    if (lines.at(-1) === "") lines.pop();
    lines.forEach((text, index) => {
      result.lines++;
      if (isRequestLine(text)) result.requestLines++;
      for (const needle of list) {
        if (text.includes(needle.text)) {
          result.leaks.push({ file, line: index + 1, key: needle.key, fragment: needle.fragment });
          return; // one report per line is enough
        }
      }
    });
  }
  return result;
}

function isRequestLine(text: string): boolean {
  try {
    return (JSON.parse(text) as { msg?: unknown }).msg === "request";
  } catch {
    return false;
  }
}

export interface CheckOptions {
  logDir?: string;
  testsDir?: string;
  explicitKeys?: readonly string[];
  minRequestLines?: number;
  verbose?: boolean;
  print?: (line: string) => void;
}

/** The whole check; returns the exit code. */
export async function checkTestLogs(options: CheckOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const logDir = options.logDir ?? defaultLogDir();
  const minimum = options.minRequestLines ?? MIN_REQUEST_LINES;
  const keys = await deriveKeys(options.testsDir ?? `${repoRoot}tests`, options.explicitKeys ?? TEST_KEYS);
  if (options.verbose) print(`keys: ${keys.map(mask).join(", ")}`);
  const result = await audit(logDir, keys);
  const shown = result.leaks.slice(0, 50);
  for (const leak of shown) {
    print(
      `${leak.file}:${leak.line}: ${leak.fragment ? `a ${FRAGMENT_LENGTH}-character fragment of ` : ""}key ${
        mask(leak.key)
      }`,
    );
  }
  if (result.leaks.length > shown.length) print(`… and ${result.leaks.length - shown.length} more`);
  if (result.leaks.length > 0) {
    const byKey = new Map<string, { lines: number; files: Set<string> }>();
    for (const leak of result.leaks) {
      const entry = byKey.get(leak.key) ?? { lines: 0, files: new Set() };
      entry.lines++;
      entry.files.add(leak.file);
      byKey.set(leak.key, entry);
    }
    const files = new Set(result.leaks.map((leak) => leak.file)).size;
    print(
      `leaks in ${files} of ${result.files} files, by key: ` +
        [...byKey].map(([key, entry]) => `${mask(key)} ${entry.lines} lines/${entry.files.size} files`)
          .join(", "),
    );
  }
  let code = result.leaks.length > 0 ? 1 : 0;
  if (result.requestLines < minimum) {
    print(
      `log audit: only ${result.requestLines} request lines in ${logDir} (at least ${minimum} expected): ` +
        "did the tests run, and do their gateways log through tests/support/log_tap.ts?",
    );
    code = 1;
  }
  print(
    `log audit: ${result.lines} lines from ${result.files} files (${result.requestLines} request lines), ` +
      `${result.keys} keys checked, ${result.leaks.length} leaks`,
  );
  return code;
}

if (import.meta.main) {
  if (Deno.args.includes("--clear")) {
    await Deno.remove(defaultLogDir(), { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  } else {
    Deno.exit(await checkTestLogs({ verbose: Deno.args.includes("--verbose") }));
  }
}
