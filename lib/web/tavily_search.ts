/** Tavily search (`POST {base}/search`, key as a Bearer token); domain filters become include/exclude lists. */
import { z } from "zod";
import { type BackendConfig, backendJson, type SearchBackend, WebToolError } from "./backend_http.ts";
import { domainAllowed, filterHosts } from "./domain_filter.ts";

const answerSchema = z.looseObject({
  results: z.array(z.looseObject({
    url: z.string(),
    title: z.string().nullish(),
    content: z.string().nullish(),
    published_date: z.string().nullish(),
  })),
});

export function tavilySearch(config: BackendConfig, apiKey: string, fetcher: typeof fetch): SearchBackend {
  const base = config.TAVILY_BASE_URL.replace(/\/+$/, "");
  return {
    name: "tavily",
    async search(query, domains, signal, maxResults = config.TAVILY_MAX_RESULTS) {
      const body: Record<string, unknown> = { query, max_results: maxResults };
      if (domains.allowed.length > 0) body.include_domains = filterHosts(domains.allowed);
      if (domains.blocked.length > 0) body.exclude_domains = filterHosts(domains.blocked);
      const json = await backendJson("Tavily", () =>
        fetcher(`${base}/search`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
          body: JSON.stringify(body),
          signal: AbortSignal.any([signal, AbortSignal.timeout(config.WEB_FETCH_TIMEOUT_MS)]),
        }));
      const parsed = answerSchema.safeParse(json);
      if (!parsed.success) throw new WebToolError("unavailable", "Tavily answered without a results list");
      return parsed.data.results
        .filter((hit) => URL.canParse(hit.url) && domainAllowed(new URL(hit.url), domains, "search"))
        .map((hit) => ({
          url: hit.url,
          title: hit.title || hit.url,
          snippet: hit.content ?? "",
          pageAge: hit.published_date ?? null,
        }));
    },
  };
}
