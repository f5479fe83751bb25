/**
 * Where emulated web searches go: Tavily when TAVILY_API_KEY is set, else a self-hosted SearXNG at
 * SEARXNG_URL, else nowhere (the tool then answers Anthropic's `unavailable` error form).
 */
import type { BackendConfig, SearchBackend } from "./backend_http.ts";
import { searxngSearch } from "./searxng_search.ts";
import { tavilySearch } from "./tavily_search.ts";

export function searchBackend(config: BackendConfig, fetcher: typeof fetch): SearchBackend | undefined {
  if (config.TAVILY_API_KEY) return tavilySearch(config, config.TAVILY_API_KEY, fetcher);
  if (config.SEARXNG_URL) return searxngSearch(config.SEARXNG_URL, config.TAVILY_MAX_RESULTS, fetcher);
  return undefined;
}
