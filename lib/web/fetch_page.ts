/**
 * web_fetch's page retrieval. With Tavily configured, through Tavily Extract; otherwise the gateway fetches
 * itself (safe_get.ts), refusing what Anthropic refuses: non-http(s) URLs, URLs over 250 characters, URLs the
 * conversation never mentioned, domain-filter misses, hosts that resolve to a non-public address (on every
 * redirect hop) and, unless WEB_FETCH_ROBOTS=0, what the site's robots.txt disallows. Successful results are
 * served from the gateway's fetch cache while fresh (not with the tool's `use_cache: false`); the per-request
 * rules run before the cache, and every redirect hop of a cached page is checked against the domain filter.
 */
import { encodeBase64 } from "../documents/base64.ts";
import { pdfTextInWorker, pdfWorkerLimits } from "../documents/pdf_text_in_worker.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { domainAllowed } from "./domain_filter.ts";
import { stringBytes } from "./fetch_cache.ts";
import { checkRobots } from "./robots_check.ts";
import { readCapped, safeGet } from "./safe_get.ts";
import type { WebToolContext } from "./web_tool_context.ts";
import { backendJson, WebToolError } from "./backend_http.ts";
import type { WebToolSpec } from "./web_tool_specs.ts";

const MAX_URL = 250;
const TEXT_TYPES = ["text/plain", "text/markdown", "text/x-markdown"];
const HTML_TYPES = ["text/html", "application/xhtml+xml"];

export interface FetchedPage {
  url: string;
  title: string | null;
  text: string;
  /** Set for a PDF, which the client receives as a base64 document. */
  pdfBase64?: string;
  /** When the page was fetched (a cached page keeps its time). */
  retrievedAt: string;
}

/** Normalised form used for the prior-context rule (fragment dropped). */
export function normalizeUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  parsed.hash = "";
  return parsed.href;
}

function checkUrl(raw: string, spec: WebToolSpec): URL {
  if (raw.length > MAX_URL) {
    throw new WebToolError("url_too_long", `URLs are limited to ${MAX_URL} characters`);
  }
  if (!URL.canParse(raw)) throw new WebToolError("invalid_tool_input", `"${raw}" is not a URL`);
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebToolError(
      "invalid_tool_input",
      `only http and https URLs can be fetched, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new WebToolError("invalid_tool_input", "URLs with credentials are refused");
  }
  if (!domainAllowed(url, spec.domains, "fetch")) {
    throw new WebToolError("url_not_allowed", `${url.hostname} is outside the request's domain filter`);
  }
  return url;
}

export async function fetchPage(
  raw: string,
  spec: WebToolSpec,
  context: WebToolContext,
): Promise<FetchedPage> {
  const url = checkUrl(raw, spec);
  const normalized = normalizeUrl(raw)!;
  if (!context.seenUrls.has(normalized)) {
    throw new WebToolError(
      "url_not_in_prior_context",
      "only URLs from the conversation or search results can be fetched",
    );
  }
  const { config, cache } = context;
  // Tavily's text and the gateway's own fetch (which a URL PDF needs for its bytes) are cached apart.
  const key = `page ${config.TAVILY_API_KEY ? "tavily" : "direct"} ${normalized}`;
  const cached = spec.useCache === false ? undefined : cache?.get<CachedPage>(key);
  if (cached) {
    for (const hop of cached.hops) checkUrl(hop, spec);
    return cached.page;
  }
  const fetched: CachedPage = config.TAVILY_API_KEY
    ? { page: await tavilyExtract(url, context, config.TAVILY_API_KEY), hops: [url.href] }
    : await fetchDirect(url, spec, context);
  Object.freeze(fetched.page);
  // Base64 is ASCII: V8 holds it at one byte a character.
  const bytes = stringBytes(fetched.page.text, fetched.page.title) + (fetched.page.pdfBase64?.length ?? 0);
  cache?.set(key, fetched, bytes);
  return fetched.page;
}

/** A fetched page and every URL its fetch went through (re-checked against a later request's filter). */
interface CachedPage {
  page: FetchedPage;
  hops: string[];
}

async function fetchDirect(url: URL, spec: WebToolSpec, context: WebToolContext): Promise<CachedPage> {
  const { config } = context;
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(config.WEB_FETCH_TIMEOUT_MS)]);
  const common = {
    fetch: context.fetch,
    clientSignal: context.signal,
    signal,
    allowLoopback: config.WEB_FETCH_ALLOW_LOOPBACK,
    maxRedirects: config.WEB_FETCH_MAX_REDIRECTS,
  };
  const { response, url: final, hops } = await safeGet(url, {
    ...common,
    accept: "text/markdown, text/html;q=0.9, application/pdf;q=0.8, text/plain;q=0.8, */*;q=0.1",
    checkRedirect: (target) => checkUrl(target, spec),
    beforeHop: config.WEB_FETCH_ROBOTS
      ? (hop) => checkRobots(hop, { ...common, maxBytes: config.WEB_FETCH_MAX_BYTES, cache: context.cache })
      : undefined,
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new WebToolError("url_not_accessible", `${final.href} answered HTTP ${response.status}`);
  }
  return { page: await readPage(final, response, context), hops };
}

async function readPage(url: URL, response: Response, context: WebToolContext): Promise<FetchedPage> {
  const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
  const mediaType = contentType.split(";")[0].trim();
  const isPdf = mediaType === "application/pdf";
  if (!isPdf && !HTML_TYPES.includes(mediaType) && !TEXT_TYPES.includes(mediaType)) {
    await response.body?.cancel();
    throw new WebToolError(
      "unsupported_content_type",
      `${mediaType || "no content type"} is not text, HTML or PDF`,
    );
  }
  const { bytes, truncated } = await readCapped(response, context.config.WEB_FETCH_MAX_BYTES);
  if (isPdf) {
    if (truncated) throw new WebToolError("url_not_accessible", "the PDF is larger than WEB_FETCH_MAX_BYTES");
    try {
      const pdf = await pdfTextInWorker(bytes, pdfWorkerLimits(context.config), null, context.signal);
      return {
        url: url.href,
        title: pdf.title,
        text: pdf.text,
        pdfBase64: encodeBase64(bytes),
        retrievedAt: new Date().toISOString(),
      };
    } catch (error) {
      if (error instanceof GatewayError) throw new WebToolError("url_not_accessible", error.message);
      throw error;
    }
  }
  const charset = /charset=([^;]+)/.exec(contentType)?.[1]?.trim().replace(/"/g, "") ?? "utf-8";
  let decoded: string;
  try {
    decoded = new TextDecoder(charset).decode(bytes);
  } catch {
    decoded = new TextDecoder().decode(bytes);
  }
  // html-to-text is loaded on the first HTML page, not at startup: ~10 MiB of idle RSS most gateways never use.
  const page = HTML_TYPES.includes(mediaType)
    ? (await import("./html_to_text.ts")).htmlToText(decoded)
    : { title: null, text: decoded };
  const note = truncated ? `\n\n[page truncated at ${context.config.WEB_FETCH_MAX_BYTES} bytes]` : "";
  return { url: url.href, title: page.title, text: page.text + note, retrievedAt: new Date().toISOString() };
}

async function tavilyExtract(url: URL, context: WebToolContext, apiKey: string): Promise<FetchedPage> {
  const base = context.config.TAVILY_BASE_URL.replace(/\/+$/, "");
  const json = await backendJson("Tavily Extract", () =>
    context.fetch(`${base}/extract`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ urls: [url.href], format: "markdown" }),
      signal: AbortSignal.any([context.signal, AbortSignal.timeout(context.config.WEB_FETCH_TIMEOUT_MS)]),
    })) as { results?: { url?: string; raw_content?: string }[]; failed_results?: { error?: string }[] };
  const hit = json.results?.find((result) => typeof result.raw_content === "string");
  if (!hit) {
    const why = json.failed_results?.[0]?.error ?? "no content";
    throw new WebToolError("url_not_accessible", `Tavily Extract could not fetch ${url.href}: ${why}`);
  }
  return { url: url.href, title: null, text: hit.raw_content!, retrievedAt: new Date().toISOString() };
}
