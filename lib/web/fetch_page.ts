/**
 * web_fetch's page retrieval. With Tavily configured, through Tavily Extract; otherwise the gateway fetches
 * itself, refusing what Anthropic refuses: non-http(s) URLs, URLs over 250 characters, URLs the conversation
 * never mentioned, domain-filter misses, and any host that resolves to a non-public address, checked again on
 * every redirect hop (redirects are followed by hand, a bounded number of times). Time and size are bounded.
 * DNS may still change between the check and the connect (Deno's fetch has no resolver hook); the window is
 * kept to one lookup per hop.
 */
import { encodeBase64 } from "../documents/base64.ts";
import { pdfTextInWorker, pdfWorkerLimits } from "../documents/pdf_text_in_worker.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { domainAllowed } from "./domain_filter.ts";
import { isLoopbackAddress, isPublicAddress, resolveHost } from "./private_address.ts";
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
  if (!context.seenUrls.has(normalizeUrl(raw)!)) {
    throw new WebToolError(
      "url_not_in_prior_context",
      "only URLs from the conversation or search results can be fetched",
    );
  }
  const { config } = context;
  if (config.TAVILY_API_KEY) return await tavilyExtract(url, context, config.TAVILY_API_KEY);
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(config.WEB_FETCH_TIMEOUT_MS)]);
  let current = url;
  for (let hop = 0;; hop++) {
    await checkAddresses(current, config.WEB_FETCH_ALLOW_LOOPBACK);
    let response: Response;
    try {
      response = await context.fetch(current, {
        redirect: "manual",
        signal,
        headers: {
          "user-agent": "opencode-bridge-web-fetch/1.0",
          accept: "text/markdown, text/html;q=0.9, application/pdf;q=0.8, text/plain;q=0.8, */*;q=0.1",
        },
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new WebToolError(
        "url_not_accessible",
        `fetching ${current.href} failed: ${(error as Error)?.message ?? error}`,
      );
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      if (hop >= config.WEB_FETCH_MAX_REDIRECTS) {
        throw new WebToolError("url_not_accessible", `more than ${config.WEB_FETCH_MAX_REDIRECTS} redirects`);
      }
      current = checkUrl(new URL(response.headers.get("location")!, current).href, spec);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new WebToolError("url_not_accessible", `${current.href} answered HTTP ${response.status}`);
    }
    return await readPage(current, response, context);
  }
}

async function checkAddresses(url: URL, allowLoopback: boolean): Promise<void> {
  const addresses = await resolveHost(url.hostname);
  if (addresses.length === 0) {
    throw new WebToolError("url_not_accessible", `${url.hostname} does not resolve`);
  }
  for (const address of addresses) {
    if (isPublicAddress(address) || (allowLoopback && isLoopbackAddress(address))) continue;
    throw new WebToolError(
      "url_not_allowed",
      `${url.hostname} resolves to a non-public address (${address})`,
    );
  }
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
      return { url: url.href, title: pdf.title, text: pdf.text, pdfBase64: encodeBase64(bytes) };
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
  return { url: url.href, title: page.title, text: page.text + note };
}

/** The body up to `max` bytes; whatever the Content-Length says, reading stops there. */
async function readCapped(
  response: Response,
  max: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    const room = max - size;
    if (value.length >= room) {
      chunks.push(value.subarray(0, room));
      size = max;
      truncated = value.length > room;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, truncated };
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
  return { url: url.href, title: null, text: hit.raw_content! };
}
