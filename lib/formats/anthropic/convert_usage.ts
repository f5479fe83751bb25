/** Anthropic usage → hub usage: the four counts the hub carries, where the upstream sent them as numbers. */
import type { Usage } from "../../hub/schema.ts";

const KEYS = [
  "input_tokens",
  "output_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
] as const;

/**
 * `server_tool_use` is kept; anything else (`service_tier`, a `null` count) is left out, so a `message_delta` patch
 * never erases what `message_start` reported.
 *
 * @example anthropicUsageToHub({ input_tokens: 10, cache_read_input_tokens: null, service_tier: "standard" })
 * // { input_tokens: 10 }
 */
export function anthropicUsageToHub(usage: unknown): Partial<Usage> {
  const out: Partial<Usage> = {};
  if (typeof usage !== "object" || usage === null) return out;
  for (const key of KEYS) {
    const value = (usage as Record<string, unknown>)[key];
    if (typeof value === "number") out[key] = value;
  }
  // Searches an upstream ran itself (Claude on Zen), counted as Anthropic counts them.
  const server = (usage as { server_tool_use?: Record<string, unknown> }).server_tool_use;
  if (typeof server?.web_search_requests === "number" || typeof server?.web_fetch_requests === "number") {
    out.server_tool_use = {
      web_search_requests: Number(server.web_search_requests ?? 0),
      web_fetch_requests: Number(server.web_fetch_requests ?? 0),
    };
  }
  return out;
}
