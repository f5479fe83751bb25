/**
 * Settings of the emulated web_search / web_fetch server tools and of documents (lib/web/, lib/documents/,
 * docs/web-tools.md); spread into the one config schema in lib/config.ts.
 */
import { z } from "zod";
import { flag, positiveInt } from "../setting_types.ts";

export const webSettings = {
  TAVILY_API_KEY: z.string().min(1).optional().describe(
    "Tavily key: emulated `web_search` searches Tavily and `web_fetch` uses Tavily Extract. Takes precedence over `SEARXNG_URL`.",
  ),
  TAVILY_BASE_URL: z.url().default("https://api.tavily.com").describe("Tavily API base URL."),
  TAVILY_MAX_RESULTS: z.coerce.number().int().min(1).max(20).default(5).describe(
    "Results per emulated search (1-20), Tavily and SearXNG alike.",
  ),
  SEARXNG_URL: z.url().optional().describe(
    "A self-hosted SearXNG (JSON format enabled) for emulated `web_search` when `TAVILY_API_KEY` is unset.",
  ),
  WEB_TOOLS_MAX_ROUNDS: positiveInt.default(10).describe(
    "Upstream rounds one request may take while its model searches and fetches; the last round asks for an answer.",
  ),
  WEB_FETCH_TIMEOUT_MS: positiveInt.default(20_000).describe(
    "Time limit of one search-backend call or one `web_fetch` (every redirect included).",
  ),
  WEB_FETCH_MAX_BYTES: positiveInt.default(5 * 1024 * 1024).describe(
    "Largest page the gateway's own fetcher reads; longer text is cut, a longer PDF refused.",
  ),
  WEB_FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5).describe(
    "Redirects the gateway's own fetcher follows (each hop re-checked).",
  ),
  WEB_FETCH_ROBOTS: flag.default(true).describe(
    "The gateway's own fetcher honours robots.txt (user-agent token `opencode-bridge`); `0` turns that off.",
  ),
  WEB_FETCH_CACHE_BYTES: z.coerce.number().int().min(0).default(8 * 1024 * 1024).describe(
    "Memory for the gateway's fetch cache (pages, PDFs and robots.txt; least recently used out first); `0` turns it off.",
  ),
  WEB_FETCH_CACHE_TTL_MS: z.coerce.number().int().min(0).default(15 * 60_000).describe(
    "How long a fetched page or robots.txt is served from the cache; `0` turns the cache off.",
  ),
  WEB_FETCH_ALLOW_LOOPBACK: flag.default(false).describe(
    "Tests only: lets the gateway's own fetcher reach loopback addresses. Never set it in production.",
  ),
  PDF_MAX_PAGES: positiveInt.default(100).describe(
    "Most pages of a PDF turned into text for a model without PDF input; more is a 400.",
  ),
  PDF_MAX_BYTES: positiveInt.default(32 * 1024 * 1024).describe(
    "Largest PDF turned into text for a model without PDF input; larger is a 400.",
  ),
  PDF_EXTRACT_TIMEOUT_MS: positiveInt.default(20_000).describe(
    "Longest one PDF may take to turn into text (in its own worker thread); longer is a 400 naming this limit.",
  ),
  PDF_EXTRACT_CONCURRENCY: positiveInt.default(2).describe(
    "PDFs turned into text at once (each worker holds ~100 MiB on a long PDF); others wait their turn.",
  ),
};
