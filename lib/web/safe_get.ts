/**
 * One GET by the gateway's own fetcher, for pages and for robots.txt alike: every hop's host is resolved and
 * refused unless all its addresses are public, redirects are followed by hand (each target checked again by
 * the caller's rules and by the address check), and bodies are read up to a byte cap whatever Content-Length
 * says. DNS may still change between the check and the connect (Deno's fetch has no resolver hook); the window
 * is kept to one lookup per hop.
 */
import { USER_AGENT } from "../upstream/identity.ts";
import { WebToolError } from "./backend_http.ts";
import { isLoopbackAddress, isPublicAddress, resolveHost } from "./private_address.ts";

/** Sent on every request of the gateway's own fetcher; robots.txt groups match its product token. */
export const FETCH_USER_AGENT = `${USER_AGENT} (web_fetch)`;

/** More redirects than the setting allows: robots.txt treats this as "no robots.txt" (RFC 9309 §2.3.1.2). */
export class TooManyRedirects extends WebToolError {
  constructor(limit: number) {
    super("url_not_accessible", `more than ${limit} redirects`);
  }
}

export interface SafeGetOptions {
  fetch: typeof fetch;
  /** The client's signal: its abort is rethrown as is, never turned into a tool error. */
  clientSignal: AbortSignal;
  /** The client's signal and the time limit together. */
  signal: AbortSignal;
  allowLoopback: boolean;
  maxRedirects: number;
  accept: string;
  /** Checks (and may refuse) a redirect target before it is contacted. */
  checkRedirect?: (target: string) => URL;
  /** Runs before each hop's request, after its address check (robots.txt). */
  beforeHop?: (url: URL) => Promise<void>;
}

export interface SafeGetResult {
  response: Response;
  /** Where the response came from (after redirects). */
  url: URL;
  /** Every URL requested, the first included. */
  hops: string[];
}

/** The final response, whatever its status (the caller decides); the body is the caller's to read or cancel. */
export async function safeGet(start: URL, options: SafeGetOptions): Promise<SafeGetResult> {
  let current = start;
  const hops: string[] = [];
  for (let hop = 0;; hop++) {
    hops.push(current.href);
    await checkAddresses(current, options.allowLoopback);
    await options.beforeHop?.(current);
    let response: Response;
    try {
      response = await options.fetch(current, {
        redirect: "manual",
        signal: options.signal,
        headers: { "user-agent": FETCH_USER_AGENT, accept: options.accept },
      });
    } catch (error) {
      if (options.clientSignal.aborted) throw error;
      throw new WebToolError(
        "url_not_accessible",
        `fetching ${current.href} failed: ${(error as Error)?.message ?? error}`,
      );
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      if (hop >= options.maxRedirects) throw new TooManyRedirects(options.maxRedirects);
      const target = new URL(response.headers.get("location")!, current).href;
      current = options.checkRedirect ? options.checkRedirect(target) : httpUrl(target);
      continue;
    }
    return { response, url: current, hops };
  }
}

function httpUrl(raw: string): URL {
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebToolError("url_not_accessible", `redirected to a ${url.protocol} URL`);
  }
  return url;
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

/** The body up to `max` bytes; whatever the Content-Length says, reading stops there. */
export async function readCapped(
  response: Response,
  max: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    if (value.length === 0) continue;
    // A chunk that ends exactly at the cap says nothing of what follows: only the next one tells.
    const take = Math.min(value.length, max - size);
    if (take < value.length) {
      if (take > 0) chunks.push(value.subarray(0, take));
      size += take;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += take;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, truncated };
}
