/**
 * Renders the configuration table (variable, default, meaning) from `configSchema` and writes it into
 * docs/configuration.md between the marker comments. `deno task docs:config` runs this, then `deno fmt`
 * aligns the columns; tests/docs/config_table_test.ts fails when the committed table drifts from the schema.
 */
import type { z } from "zod";
import { configSchema } from "../lib/config.ts";

export const CONFIG_DOC_PATH = new URL("../docs/configuration.md", import.meta.url);
export const TABLE_START =
  "<!-- config-table:start (generated from lib/config.ts by `deno task docs:config`; do not edit by hand) -->";
export const TABLE_END = "<!-- config-table:end -->";

export interface ConfigRow {
  variable: string;
  default: string;
  meaning: string;
}

/** One row per schema field, in schema order; a field without `.describe("…")` is an error, not a blank. */
export function configRows(schema: z.ZodObject = configSchema): ConfigRow[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const meaning = field.description?.trim();
    if (!meaning) {
      throw new Error(
        `${name} in lib/config.ts has no .describe("…") text: add one, then run deno task docs:config`,
      );
    }
    const parsed = field.safeParse(undefined);
    return {
      variable: `\`${name}\``,
      default: formatDefault(name, parsed.success ? parsed.data : undefined),
      meaning,
    };
  });
}

/** The default as an operator would write it, with a readable unit for durations and sizes. */
export function formatDefault(name: string, value: unknown): string {
  if (value === undefined) return "unset";
  if (value === "") return "empty";
  if (typeof value === "boolean") return value ? "`1`" : "`0`";
  if (typeof value === "number") {
    const hint = name.endsWith("_MS")
      ? duration(value / 1000)
      : name.endsWith("_SECONDS")
      ? duration(value)
      : name.endsWith("_BYTES")
      ? bytes(value)
      : "";
    return hint ? `\`${value}\` (${hint})` : `\`${value}\``;
  }
  if (Array.isArray(value)) return value.length === 0 ? "empty" : `\`${value.join(",")}\``;
  return `\`${String(value)}\``;
}

function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 600 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function bytes(value: number): string {
  const mib = value / (1024 * 1024);
  if (Number.isInteger(mib)) return `${mib} MiB`;
  const kib = value / 1024;
  return Number.isInteger(kib) ? `${kib} KiB` : "";
}

/** Markdown table text; `|` inside cells is escaped so GitHub keeps the columns. */
export function renderConfigTable(rows: ConfigRow[] = configRows()): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    "| variable | default | meaning |",
    "| --- | --- | --- |",
    ...rows.map((row) => `| ${cell(row.variable)} | ${cell(row.default)} | ${cell(row.meaning)} |`),
  ];
  return lines.join("\n");
}

/** The text between the markers, or an error naming the missing marker. */
export function tableBlock(document: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/configuration.md lacks the markers ${TABLE_START} … ${TABLE_END}`);
  }
  return document.slice(start + TABLE_START.length, end);
}

/** The document with the block between the markers replaced by `table`. */
export function replaceTable(document: string, table: string): string {
  const block = tableBlock(document);
  return document.replace(`${TABLE_START}${block}${TABLE_END}`, `${TABLE_START}\n\n${table}\n\n${TABLE_END}`);
}

/**
 * Table rows as trimmed cells, ignoring column padding and the separator row, so the committed table (after
 * `deno fmt` aligned it) compares equal to the freshly rendered one.
 */
export function tableCells(markdown: string): string[][] {
  return markdown.split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line.slice(1, line.endsWith("|") && !line.endsWith("\\|") ? -1 : undefined)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
    )
    .filter((cells) => !cells.every((cell) => /^:?-+:?$/.test(cell)));
}

if (import.meta.main) {
  const document = await Deno.readTextFile(CONFIG_DOC_PATH);
  await Deno.writeTextFile(CONFIG_DOC_PATH, replaceTable(document, renderConfigTable()));
  console.error("docs/configuration.md: configuration table rewritten from lib/config.ts");
}
