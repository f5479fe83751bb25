/**
 * OpenAI Responses' hosted `web_search` tool as Anthropic's web_search server tool, so a Responses client's
 * searches run through the same emulation (the answer's text carries the results; no `web_search_call`
 * items are emitted).
 */
import type { HubTool } from "../hub/schema.ts";

const RESPONSES_SEARCH_TYPES = new Set([
  "web_search",
  "web_search_preview",
  "web_search_2025_08_26",
  "web_search_preview_2025_03_11",
]);

/** `[web_search server tool]` for a hosted web_search tool, `[]` for any other. */
export function responsesWebSearchTools(tool: Record<string, unknown>): HubTool[] {
  if (typeof tool.type !== "string" || !RESPONSES_SEARCH_TYPES.has(tool.type)) return [];
  const filters = tool.filters as { allowed_domains?: unknown } | undefined;
  const allowed = Array.isArray(filters?.allowed_domains)
    ? filters.allowed_domains.filter((domain): domain is string => typeof domain === "string")
    : [];
  return [{
    type: "web_search_20250305",
    name: "web_search",
    ...(allowed.length > 0 ? { allowed_domains: allowed } : {}),
  }];
}
