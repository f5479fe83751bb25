/** What one request's emulated web tools share: settings, limits, counters and the URLs fetch may open. */
import type { Config } from "../config.ts";
import type { ResponseBlock } from "../hub/schema.ts";
import type { FetchCache } from "./fetch_cache.ts";
import type { WebToolSpecs } from "./web_tool_specs.ts";
import type { NumberedSource } from "./cited_text.ts";

export interface WebToolContext {
  config: Config;
  fetch: typeof fetch;
  specs: WebToolSpecs;
  signal: AbortSignal;
  /** URLs the conversation or earlier results mentioned: the only ones web_fetch may open. */
  seenUrls: Set<string>;
  /** Calls made so far per tool, failed ones included (they count toward max_uses). */
  uses: { web_search: number; web_fetch: number };
  /** Billable requests, as usage.server_tool_use reports them. */
  requests: { web_search_requests: number; web_fetch_requests: number };
  /** Every search result of this request, in the order numbered for the model ([1] is the first). */
  sources?: NumberedSource[];
  /** Log notes (why a tool could not run). */
  notes: string[];
  /** The gateway's fetch cache (pages and robots.txt); absent, nothing is cached. */
  cache?: FetchCache;
}

export interface WebToolRun {
  block: ResponseBlock;
  modelText: string;
}
