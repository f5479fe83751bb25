/**
 * Chat Completions' `web_search_options` as Anthropic's web_search server tool, so a Chat client's searches
 * run through the same emulation. `user_location` becomes the tool's `user_location` (the model is told where
 * the user is, so its queries can be local: neither Tavily nor SearXNG takes a location that maps cleanly);
 * `search_context_size` becomes the number of results per search (web_tool_specs.ts). Anything else in the
 * options is a 400: OpenAI's schema has nothing more, and a silently ignored field would be a surprise.
 */
import { z } from "zod";
import type { HubTool } from "../hub/schema.ts";

export const webSearchOptionsSchema = z.strictObject({
  search_context_size: z.enum(["low", "medium", "high"]).nullish(),
  user_location: z.strictObject({
    type: z.literal("approximate"),
    approximate: z.strictObject({
      city: z.string().nullish(),
      country: z.string().nullish(),
      region: z.string().nullish(),
      timezone: z.string().nullish(),
    }),
  }).nullish(),
});
export type WebSearchOptions = z.infer<typeof webSearchOptionsSchema>;

/** `[web_search server tool]` when the request has web_search_options, `[]` otherwise. */
export function chatWebSearchTools(options: WebSearchOptions | null | undefined): HubTool[] {
  if (!options) return [];
  const tool: HubTool = { type: "web_search_20250305", name: "web_search" };
  const where = options.user_location?.approximate;
  if (where) {
    const location: Record<string, string> = { type: "approximate" };
    for (const key of ["city", "region", "country", "timezone"] as const) {
      if (where[key]) location[key] = where[key]!;
    }
    tool.user_location = location;
  }
  if (options.search_context_size) tool.search_context_size = options.search_context_size;
  return [tool];
}
