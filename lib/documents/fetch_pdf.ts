/**
 * A URL document's bytes, for an upstream that cannot fetch it itself: through the web tools' safe fetcher
 * (http(s) only, public addresses only, redirects re-checked, size and time limits). A failure is a 400 naming
 * the URL, since the client chose it.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { FetchCache } from "../web/fetch_cache.ts";
import { fetchPage } from "../web/fetch_page.ts";
import { WebToolError } from "../web/backend_http.ts";
import { decodeBase64 } from "./base64.ts";

/** What turning documents into something a model reads may use. */
export interface DocumentOptions {
  config: Config;
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** The gateway's fetch cache (lib/web/fetch_cache.ts), shared with web_fetch. */
  webFetchCache?: FetchCache;
  /** The model the gateway re-routes image requests to, if any: scanned pages go as images when there is one. */
  visionModel?: () => Promise<string | undefined>;
}

export async function fetchPdf(url: string, options: DocumentOptions): Promise<Uint8Array> {
  const { config } = options;
  try {
    const page = await fetchPage(url, { name: "web_fetch", domains: { allowed: [], blocked: [] } }, {
      // The gateway fetches itself here even with Tavily configured: it needs the PDF's bytes.
      config: { ...config, TAVILY_API_KEY: undefined },
      fetch: options.fetch,
      specs: {},
      signal: options.signal ?? new AbortController().signal,
      seenUrls: new Set([new URL(url).href.replace(/#.*$/, "")]),
      uses: { web_search: 0, web_fetch: 0 },
      requests: { web_search_requests: 0, web_fetch_requests: 0 },
      notes: [],
      cache: options.webFetchCache,
    });
    if (!page.pdfBase64) throw new WebToolError("unsupported_content_type", "the URL did not return a PDF");
    return decodeBase64(page.pdfBase64);
  } catch (error) {
    if (error instanceof WebToolError || error instanceof GatewayError || error instanceof TypeError) {
      throw new GatewayError(
        "invalid_request_error",
        `Document URL ${url} could not be read: ${error.message}`,
      );
    }
    throw error;
  }
}
