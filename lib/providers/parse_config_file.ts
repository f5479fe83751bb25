/**
 * CONFIG_FILE's text (JSON or JSONC: comments and trailing commas) → flat settings and validated providers.
 * Every problem is reported with its line, and for providers with the provider's name and the field, so the
 * operator can fix the file in one go.
 */
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import type { z } from "zod";
import { type ProviderConfig, providersSchema } from "./provider_schema.ts";

export interface ConfigFileContents {
  /** Every top-level key but `providers`, as written (the flat settings, checked by the caller). */
  settings: Record<string, unknown>;
  providers: ProviderConfig[];
}

export type ConfigFileResult = { ok: true; contents: ConfigFileContents } | { ok: false; errors: string[] };

/**
 * @example
 * ```ts
 * const result = parseConfigFile('{ "PORT": 9000, // comment\n "providers": [] }', {});
 * // result.ok && result.contents.settings.PORT === 9000
 * ```
 */
export function parseConfigFile(text: string, env: Record<string, string | undefined>): ConfigFileResult {
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false });
  const lineOf = lineFinder(text);
  if (syntax.length > 0 || !root) {
    const first = syntax[0];
    return {
      ok: false,
      errors: [
        first
          ? `line ${lineOf(first.offset)}: not valid JSON/JSONC (${printParseErrorCode(first.error)})`
          : "the file is empty",
      ],
    };
  }
  if (root.type !== "object") return { ok: false, errors: ["line 1: the file must hold a JSON object"] };
  // Plain objects: jsonc-parser builds null-prototype ones.
  const value = JSON.parse(JSON.stringify(nodeValue(root))) as Record<string, unknown>;
  const { providers: rawProviders = [], ...settings } = value;
  const parsed = providersSchema.safeParse(rawProviders);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => describeIssue(issue, root, rawProviders, lineOf));
    return { ok: false, errors };
  }
  const errors: string[] = [];
  const providers = parsed.data.map((provider, index) => {
    const apiKey = provider.apiKey;
    if (!apiKey?.startsWith("env:")) return provider;
    const name = apiKey.slice(4);
    const resolved = env[name];
    if (!resolved) {
      const line = lineOf(findNodeAtLocation(root, ["providers", index, "apiKey"])?.offset ?? 0);
      errors.push(
        `line ${line}: providers[${index}] "${provider.name}": apiKey: environment variable ${name} is not set`,
      );
    }
    return { ...provider, apiKey: resolved };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, contents: { settings, providers } };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries(
        (node.children ?? []).map((property) => [
          property.children![0].value as string,
          property.children![1] ? nodeValue(property.children![1]) : undefined,
        ]),
      );
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** `line 7: providers[0] "local": models[0].context: expected a positive number`. */
function describeIssue(
  issue: z.core.$ZodIssue,
  root: Node,
  rawProviders: unknown,
  lineOf: (offset: number) => number,
): string {
  const path = [...issue.path] as (string | number)[];
  if (issue.code === "unrecognized_keys" && issue.keys.length > 0) path.push(issue.keys[0]);
  const location: (string | number)[] = ["providers", ...path];
  const node = nearestNode(root, location);
  const [index, ...field] = path;
  let who = "providers";
  if (typeof index === "number") {
    const name = Array.isArray(rawProviders) ? (rawProviders[index] as { name?: unknown })?.name : undefined;
    who = `providers[${index}]${typeof name === "string" ? ` "${name}"` : ""}`;
  }
  const fieldText = field.map((part, at) =>
    typeof part === "number" ? `[${part}]` : `${at ? "." : ""}${part}`
  )
    .join("");
  const missing = issue.code === "invalid_type" && !findNodeAtLocation(root, location);
  const message = issue.code === "unrecognized_keys"
    ? `unknown field (${issue.keys.map((key) => `"${key}"`).join(", ")})`
    : missing
    ? "is required"
    : issue.message;
  return `line ${lineOf(node?.offset ?? 0)}: ${who}${fieldText ? `: ${fieldText}` : ""}: ${message}`;
}

/** The node at `location`, or its nearest ancestor present in the file (a missing field's object). */
function nearestNode(root: Node, location: (string | number)[]): Node | undefined {
  for (let length = location.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, location.slice(0, length));
    if (node) {
      // A property's key is where the reader looks; the value may start lines later.
      return node.parent?.type === "property" ? node.parent : node;
    }
  }
  return undefined;
}

function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let index = 0; index < text.length; index++) if (text[index] === "\n") starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}
