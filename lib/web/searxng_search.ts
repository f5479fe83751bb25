/**
 * A self-hosted SearXNG (`GET {SEARXNG_URL}/search?format=json`, no key; JSON must be enabled in its
 * settings.yml, else it answers 403). It has no domain-list parameter, so filters are applied to the hits.
 */
import { z } from "zod";
import { backendJson, type SearchBackend, WebToolError } from "./backend_http.ts";
import { domainAllowed } from "./domain_filter.ts";

const answerSchema = z.looseObject({
  results: z.array(z.looseObject({
    url: z.string(),
    title: z.string().nullish(),
    content: z.string().nullish(),
    publishedDate: z.string().nullish(),
  })),
});

export function searxngSearch(baseUrl: string, maxResults: number, fetcher: typeof fetch): SearchBackend {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    name: "searxng",
    async search(query, domains, signal, limit = maxResults) {
      const url = new URL(`${base}/search`);
      url.searchParams.set("q", query);
      url.searchParams.set("format", "json");
      const json = await backendJson(
        "SearXNG",
        () => fetcher(url, { headers: { accept: "application/json" }, signal }),
      );
      const parsed = answerSchema.safeParse(json);
      if (!parsed.success) throw new WebToolError("unavailable", "SearXNG answered without a results list");
      return parsed.data.results
        .filter((hit) => URL.canParse(hit.url) && domainAllowed(new URL(hit.url), domains, "search"))
        .slice(0, limit)
        .map((hit) => ({
          url: hit.url,
          title: hit.title || hit.url,
          snippet: hit.content ?? "",
          pageAge: hit.publishedDate ?? null,
        }));
    },
  };
}
