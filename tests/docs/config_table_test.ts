// The one configuration table (docs/configuration.md) is the schema's, and the docs name no setting the
// schema lacks: a renamed or removed variable, or a typo, fails here instead of misleading an operator.
import assert from "node:assert/strict";
import { z } from "zod";
import { configSchema } from "../../lib/config.ts";
import {
  CONFIG_DOC_PATH,
  configRows,
  formatDefault,
  renderConfigTable,
  replaceTable,
  TABLE_END,
  TABLE_START,
  tableBlock,
  tableCells,
} from "../../scripts/config_table.ts";
import { readDocs } from "./read_docs.ts";

const schemaNames = new Set(Object.keys(configSchema.shape));

// Variables the docs may name that are not the gateway's own settings: the clients' (Claude Code, Codex),
// the test harness's, Deno's own (OpenTelemetry, Deno Deploy), and upper-case wire values (Gemini finish
// reasons and statuses).
const clientPrefixes = ["ANTHROPIC_", "CLAUDE_CODE_", "OTEL_"];
// The `CUSTOM_HEADER_<NAME>` family (gathered into customHeaders) and the variables docs/providers.md's example
// files read through `"apiKey": "env:NAME"`, or a local server's own (Ollama's context length).
const gatewayFamilies = ["CUSTOM_HEADER_"];
const providerVariables = new Set([
  "OLLAMA_KEY",
  "OPENROUTER_API_KEY",
  "AZURE_OPENAI_API_KEY",
  "OLLAMA_CONTEXT_LENGTH",
]);
const otherVariables = new Set([
  "DENO_DEPLOYMENT_ID",
  "DISABLE_AUTOUPDATER",
  "CLAUDE_CONFIG_DIR",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
  "CODEX_HOME",
  "OCB_TEST_LOG_DIR",
  // glibc malloc tunables: opt-in memory levers measured in docs/performance.md.
  "MALLOC_ARENA_MAX",
  "MALLOC_MMAP_THRESHOLD_",
  "MALLOC_TRIM_THRESHOLD_",
  "E2E_REPORT",
  "MAX_TOKENS",
  "RESOURCE_EXHAUSTED",
  "PROHIBITED_CONTENT",
  "MALFORMED_FUNCTION_CALL",
  "IMAGE_",
]);
const variableShape = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]*)+\b/g;

Deno.test("the committed configuration table is the one rendered from lib/config.ts", async () => {
  const committed = tableCells(tableBlock(await Deno.readTextFile(CONFIG_DOC_PATH)));
  const rendered = tableCells(renderConfigTable());
  assert.deepStrictEqual(
    committed,
    rendered,
    "docs/configuration.md is out of date with lib/config.ts: run `deno task docs:config`",
  );
  assert.deepStrictEqual(committed.length, schemaNames.size + 1, "one row per setting plus the header");
});

Deno.test("every setting in the schema has a description and a row", () => {
  const rows = configRows();
  assert.deepStrictEqual(rows.map((row) => row.variable), [...schemaNames].map((name) => `\`${name}\``));
  for (const row of rows) assert.ok(row.meaning.length > 10, `${row.variable}: describe it in a sentence`);
});

Deno.test("a setting without .describe() is reported by name", () => {
  const schema = z.object({ DOCUMENTED: z.string().describe("Has a text."), FORGOTTEN: z.string() });
  assert.throws(() => configRows(schema), /FORGOTTEN in lib\/config\.ts has no \.describe/);
});

Deno.test("defaults are rendered as an operator writes them", () => {
  assert.deepStrictEqual(formatDefault("PORT", 8787), "`8787`");
  assert.deepStrictEqual(formatDefault("IDLE_TIMEOUT_MS", 305_000), "`305000` (305 s)");
  assert.deepStrictEqual(formatDefault("TOTAL_TIMEOUT_MS", 3_600_000), "`3600000` (1 h)");
  assert.deepStrictEqual(formatDefault("CATALOG_TTL_SECONDS", 3600), "`3600` (1 h)");
  assert.deepStrictEqual(formatDefault("BODY_LIMIT_BYTES", 32 * 1024 * 1024), "`33554432` (32 MiB)");
  assert.deepStrictEqual(formatDefault("LOG_BODIES", false), "`0`");
  assert.deepStrictEqual(formatDefault("MODEL_FALLBACKS", ""), "empty");
  assert.deepStrictEqual(formatDefault("OPENCODE_API_KEY", undefined), "unset");
});

Deno.test("rewriting the table keeps the text around the markers and escapes pipes in cells", () => {
  const document = `# Title\n\nBefore.\n\n${TABLE_START}\nold\n${TABLE_END}\n\nAfter.\n`;
  const table = renderConfigTable([{ variable: "`A`", default: "empty", meaning: "`x=y|z`: fallbacks." }]);
  const rewritten = replaceTable(document, table);
  assert.ok(rewritten.startsWith("# Title\n\nBefore.\n\n"));
  assert.ok(rewritten.endsWith(`${TABLE_END}\n\nAfter.\n`));
  assert.deepStrictEqual(tableCells(tableBlock(rewritten)), [
    ["variable", "default", "meaning"],
    ["`A`", "empty", "`x=y\\|z`: fallbacks."],
  ]);
  assert.throws(() => tableBlock("no markers here"), /lacks the markers/);
});

Deno.test("README.md and docs/*.md name no setting that the schema does not have", async () => {
  const unknown: string[] = [];
  for (const { path, text } of await readDocs()) {
    for (const match of text.matchAll(variableShape)) {
      const name = match[0];
      if (schemaNames.has(name) || otherVariables.has(name)) continue;
      // `MODEL_*` stands for a family of settings: at least one must exist.
      const wildcard = name.endsWith("_") && text[match.index! + name.length] === "*";
      if (wildcard && [...schemaNames].some((known) => known.startsWith(name))) continue;
      if (clientPrefixes.some((prefix) => name.startsWith(prefix))) continue;
      if (gatewayFamilies.some((prefix) => name.startsWith(prefix)) || providerVariables.has(name)) continue;
      const line = text.slice(0, match.index).split("\n").length;
      unknown.push(`${path}:${line}: ${name}`);
    }
  }
  assert.deepStrictEqual(
    unknown,
    [],
    "not in lib/config.ts configSchema (fix the name, add the setting, or list a client variable in this test)",
  );
});

Deno.test("defaults quoted in the README match the schema", async () => {
  const readme = (await readDocs()).find((doc) => doc.path === "README.md")!;
  const defaults = Object.fromEntries(configRows().map((row) => [row.variable, row.default]));
  const quoted = [...readme.text.matchAll(/(`[A-Z][A-Z0-9_]+`) \(default ([^)]+)\)/g)];
  assert.ok(quoted.length >= 5, "the README lists the most used settings with their defaults");
  for (const [, variable, value] of quoted) {
    assert.ok(variable in defaults, `${variable} is not a setting`);
    assert.deepStrictEqual(
      value,
      defaults[variable].replace(/ \(.*\)$/, ""),
      `README default of ${variable}`,
    );
  }
});
