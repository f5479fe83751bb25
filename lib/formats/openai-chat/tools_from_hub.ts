/** Anthropic tools and tool_choice → Chat Completions function tools, with the fields chat upstreams reject removed. */
import type { ToolChoiceForm } from "../../catalog/quirks.ts";
import type { HubTool, HubToolChoice } from "../../hub/schema.ts";

export interface OpenaiChatUpstreamTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OpenaiChatUpstreamToolChoice = "auto" | "none" | "required" | {
  type: "function";
  function: { name: string };
};

/**
 * Custom tools become function tools built field by field, so tool-level extras (`strict`, `cache_control`,
 * `defer_loading`, `eager_input_streaming`, `input_examples`) never reach the upstream; GLM 400s on `strict`.
 * Dropped: server tools (`web_search_20250305`…), which only Anthropic can run, and tools with
 * `defer_loading: true`. A deferred tool is hidden from the model until tool search loads it through
 * `tool_reference` blocks, which chat upstreams have no equivalent for; Claude Code's own deferred entry
 * (`DeferredToolPlaceholder`) is a stand-in with an empty schema that no model should ever call.
 */
export function openaiChatToolsFromHub(tools: readonly HubTool[] | undefined): OpenaiChatUpstreamTool[] {
  const out: OpenaiChatUpstreamTool[] = [];
  for (const tool of tools ?? []) {
    if (tool.type !== undefined && tool.type !== "custom") continue;
    if (tool.defer_loading === true) continue;
    const fn: OpenaiChatUpstreamTool["function"] = {
      name: tool.name,
      parameters: toolParameters(tool.input_schema),
    };
    if (tool.description) fn.description = tool.description;
    out.push({ type: "function", function: fn });
  }
  return out;
}

/**
 * `accepted` lists the forms the upstream takes in this request: all three unless thinking is on and the catalog
 * says otherwise (`toolChoiceWithThinking`). A named tool the upstream refuses becomes `required` when that is
 * accepted (the caller then offers only that tool, which makes the two equivalent), otherwise `auto`; `any`
 * refused becomes `auto`. `auto` keeps the request working at the cost of the guarantee.
 *
 * @example openaiChatToolChoiceFromHub({ type: "any" }, ["auto"]) === "auto"
 */
export function openaiChatToolChoiceFromHub(
  choice: HubToolChoice | undefined,
  accepted: readonly ToolChoiceForm[],
): OpenaiChatUpstreamToolChoice | undefined {
  if (!choice) return undefined;
  switch (choice.type) {
    case "auto":
      return "auto";
    case "none":
      return "none";
    case "any":
      return accepted.includes("required") ? "required" : "auto";
    case "tool":
      if (accepted.includes("named")) return { type: "function", function: { name: choice.name } };
      return accepted.includes("required") ? "required" : "auto";
  }
}

/** The form a hub tool_choice takes on the wire before any downgrade; undefined when there is none. */
export function toolChoiceForm(choice: HubToolChoice | undefined): ToolChoiceForm | "none" | undefined {
  if (!choice) return undefined;
  return ({ auto: "auto", none: "none", any: "required", tool: "named" } as const)[choice.type];
}

function toolParameters(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const cleaned = schema ? cleanSchema(schema) : {};
  // Function parameters must describe an object; Claude Code's placeholder tools send `{}` or no schema.
  if (cleaned.type === undefined) cleaned.type = "object";
  if (cleaned.type === "object" && cleaned.properties === undefined) cleaned.properties = {};
  return cleaned;
}

// Keywords whose value is a schema, a list of schemas, or a map of name → schema. `$schema` is removed only
// from schema positions, so a tool with a property that is literally named "$schema" keeps it.
const schemaKeys = new Set([
  "items",
  "additionalProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "additionalItems",
]);
const schemaListKeys = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);
const schemaMapKeys = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
]);

/** A copy without `$schema` (draft-2020-12 URIs that several chat upstreams reject); the input is not mutated. */
export function cleanSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in schema) {
    if (key === "$schema") continue;
    const value = schema[key];
    if (schemaKeys.has(key)) out[key] = Array.isArray(value) ? value.map(cleanValue) : cleanValue(value);
    else if (schemaListKeys.has(key) && Array.isArray(value)) out[key] = value.map(cleanValue);
    else if (schemaMapKeys.has(key) && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const name in value) map[name] = cleanValue(value[name]);
      out[key] = map;
    } else out[key] = value;
  }
  return out;
}

function cleanValue(value: unknown): unknown {
  return isObject(value) ? cleanSchema(value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
