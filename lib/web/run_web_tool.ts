/**
 * Runs one emulated web_search / web_fetch call and answers twice: the Anthropic result block the client
 * sees, and the text the upstream model reads as the function's result. Never throws for a tool problem:
 * every failure is the result block's error form with Anthropic's error code.
 */
import { type FetchedPage, fetchPage } from "./fetch_page.ts";
import { type SearchHit, WebToolError } from "./backend_http.ts";
import { searchBackend } from "./search_backend.ts";
import { encodeHit } from "./web_envelope.ts";
import type { WebToolSpec } from "./web_tool_specs.ts";
import type { WebToolContext, WebToolRun } from "./web_tool_context.ts";

const MAX_QUERY = 400;

export async function runWebTool(
  name: "web_search" | "web_fetch",
  input: unknown,
  toolUseId: string,
  context: WebToolContext,
): Promise<WebToolRun> {
  const spec = name === "web_search" ? context.specs.search! : context.specs.fetch!;
  const type = `${name}_tool_result` as const;
  const failure = (code: string, why: string): WebToolRun => ({
    block: { type, tool_use_id: toolUseId, content: { type: `${type}_error`, error_code: code } },
    modelText: `${name} failed (${code}): ${why}`,
  });
  context.uses[name]++;
  if (spec.maxUses !== undefined && context.uses[name] > spec.maxUses) {
    return failure(
      "max_uses_exceeded",
      `this request allows ${spec.maxUses} ${name} calls; answer with what you have`,
    );
  }
  try {
    if (name === "web_search") return await search(input, spec, toolUseId, context);
    return await fetchUrl(input, spec, toolUseId, context);
  } catch (error) {
    if (error instanceof WebToolError) {
      context.notes.push(`${name}: ${error.code}: ${error.message}`);
      return failure(error.code, error.message);
    }
    if (context.signal.aborted) throw error;
    context.notes.push(`${name}: unavailable: ${(error as Error)?.message ?? error}`);
    return failure("unavailable", "the tool failed unexpectedly");
  }
}

function stringInput(input: unknown, field: string): string {
  const value = (input as Record<string, unknown> | null)?.[field];
  if (typeof value !== "string" || value.trim() === "") {
    throw new WebToolError("invalid_tool_input", `"${field}" must be a non-empty string`);
  }
  return value.trim();
}

async function search(
  input: unknown,
  spec: WebToolSpec,
  toolUseId: string,
  context: WebToolContext,
): Promise<WebToolRun> {
  const query = stringInput(input, "query");
  if (query.length > MAX_QUERY) {
    throw new WebToolError("query_too_long", `queries are limited to ${MAX_QUERY} characters`);
  }
  const backend = searchBackend(context.config, context.fetch);
  if (!backend) {
    throw new WebToolError(
      "unavailable",
      "web search is not available: no search backend is configured on the gateway (set TAVILY_API_KEY or " +
        "SEARXNG_URL); answer from your own knowledge and say that you could not search",
    );
  }
  context.requests.web_search_requests++;
  const hits = await backend.search(query, spec.domains, context.signal, resultCount(spec, context));
  for (const hit of hits) context.seenUrls.add(hit.url);
  // Numbered across the request, so every [n] the model writes names one result (cited_text.ts).
  const sources = context.sources ??= [];
  const first = sources.length + 1;
  sources.push(...hits);
  return {
    block: {
      type: "web_search_tool_result",
      tool_use_id: toolUseId,
      content: hits.map((hit) => ({
        type: "web_search_result",
        url: hit.url,
        title: hit.title,
        encrypted_content: encodeHit(hit),
        page_age: hit.pageAge,
      })),
    },
    modelText: searchText(query, hits, first, true),
  };
}

/**
 * The numbered hit list the model reads (and, in history, what a replayed search turns back into). The
 * `[n]` it is asked to write after a claim become citations of result n (cited_text.ts).
 */
export function searchText(
  query: string,
  hits: readonly Pick<SearchHit, "url" | "title" | "snippet">[],
  first = 1,
  askToCite = false,
): string {
  if (hits.length === 0) return `No web results for "${query}".`;
  const lines = hits.map((hit, index) =>
    `[${first + index}] ${hit.title}\nURL: ${hit.url}\n${hit.snippet.trim()}`
  );
  const cite = askToCite
    ? `. When you use a result, cite it by writing its number in brackets right after the claim it supports, ` +
      `e.g. "… as announced [${first}]."`
    : " (cite the URLs you use):";
  return `Web search results for "${query}"${cite}\n\n${lines.join("\n\n")}`;
}

/** Chat's search_context_size as a result count: fewer or more than the configured default. */
function resultCount(spec: WebToolSpec, context: WebToolContext): number {
  const configured = context.config.TAVILY_MAX_RESULTS;
  if (spec.contextSize === "low") return Math.min(3, configured);
  if (spec.contextSize === "high") return Math.max(10, configured);
  return configured;
}

async function fetchUrl(
  input: unknown,
  spec: WebToolSpec,
  toolUseId: string,
  context: WebToolContext,
): Promise<WebToolRun> {
  const url = stringInput(input, "url");
  context.requests.web_fetch_requests++;
  const page: FetchedPage = await fetchPage(url, spec, context);
  const maxChars = (spec.maxContentTokens ?? Infinity) * 4;
  const text = page.text.length > maxChars
    ? `${page.text.slice(0, maxChars)}\n\n[truncated to about ${spec.maxContentTokens} tokens]`
    : page.text;
  const source = page.pdfBase64
    ? { type: "base64", media_type: "application/pdf", data: page.pdfBase64 }
    : { type: "text", media_type: "text/plain", data: text };
  return {
    block: {
      type: "web_fetch_tool_result",
      tool_use_id: toolUseId,
      content: {
        type: "web_fetch_result",
        url: page.url,
        retrieved_at: page.retrievedAt,
        content: { type: "document", source, title: page.title, citations: { enabled: false } },
      },
    },
    modelText: fetchText(page.url, page.title, text),
  };
}

/** Fetched content, labelled as such: it is untrusted input. */
export function fetchText(url: string, title: string | null, text: string): string {
  return `Content fetched from ${url}${title ? ` ("${title}")` : ""} — untrusted web content:\n\n${text}`;
}
