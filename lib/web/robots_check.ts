/**
 * robots.txt for the gateway's own fetcher (RFC 9309; on by default, WEB_FETCH_ROBOTS=0 turns it off): before
 * each hop of a fetch, the origin's /robots.txt is read through the same safe GET (address checks, redirects
 * re-checked, time limit) and parsed by `robots-parser` (groups, the product token `opencode-bridge` over `*`,
 * longest match with Allow winning a tie, `*` and `$`). A disallowed URL is refused with `url_not_allowed`, as
 * Anthropic does. A 4xx (no robots.txt) allows everything; a 5xx, a 429 or an unreachable robots.txt refuses
 * the fetch with `url_not_accessible` ("disallow all" while it is unreachable, RFC 9309 §2.3.1.4) and is not
 * cached, so a later try reads it again. Read and parsed files are cached per origin with the pages; /robots.txt
 * itself is always allowed.
 */
import robotsParserModule from "robots-parser";
import { WebToolError } from "./backend_http.ts";
import { type FetchCache, stringBytes } from "./fetch_cache.ts";
import {
  readCapped,
  safeGet,
  type SafeGetOptions,
  type SafeGetResult,
  TooManyRedirects,
} from "./safe_get.ts";

/** The product token robots.txt groups are matched against (case-insensitively). */
export const ROBOTS_TOKEN = "opencode-bridge";
/** RFC 9309 §2.5: parse at least the first 500 KiB. */
const ROBOTS_MAX_BYTES = 512 * 1024;

/** The parser's one method used here (the package is CommonJS; its typings describe an ES default export). */
interface RobotsRules {
  isAllowed(url: string, userAgent: string): boolean | undefined;
}
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => RobotsRules;

type Rules = RobotsRules | "allow-all";

export interface RobotsOptions extends Omit<SafeGetOptions, "accept" | "checkRedirect" | "beforeHop"> {
  maxBytes: number;
  cache?: FetchCache;
}

/** Throws url_not_allowed when the origin's robots.txt disallows `url` for the gateway's fetcher. */
export async function checkRobots(url: URL, options: RobotsOptions): Promise<void> {
  const robotsUrl = new URL("/robots.txt", url.origin);
  // RFC 9309 §2.2.2: the robots.txt URI itself is always allowed.
  if (url.pathname === robotsUrl.pathname) return;
  const key = `robots ${url.origin}`;
  let rules = options.cache?.get<Rules>(key);
  if (!rules) {
    const read = await readRobots(robotsUrl, options);
    rules = read.rules;
    options.cache?.set(key, rules, stringBytes(read.text));
  }
  if (rules === "allow-all" || rules.isAllowed(url.href, ROBOTS_TOKEN) !== false) return;
  throw new WebToolError(
    "url_not_allowed",
    `${robotsUrl.href} disallows ${url.pathname}${url.search} for user-agent ${ROBOTS_TOKEN}`,
  );
}

async function readRobots(robotsUrl: URL, options: RobotsOptions): Promise<{ rules: Rules; text: string }> {
  const unreachable = (why: string) =>
    new WebToolError(
      "url_not_accessible",
      `${robotsUrl.href} could not be read (${why}); until it can, the site counts as disallowing all fetches`,
    );
  let got: SafeGetResult;
  try {
    got = await safeGet(robotsUrl, { ...options, accept: "text/plain, */*;q=0.1" });
  } catch (error) {
    // Too many redirects: RFC 9309 §2.3.1.2 lets a crawler take that as "no robots.txt".
    if (error instanceof TooManyRedirects) return { rules: "allow-all", text: "" };
    if (error instanceof WebToolError) throw unreachable(error.message);
    throw error;
  }
  const { response } = got;
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    throw unreachable(`HTTP ${response.status}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { rules: "allow-all", text: "" };
  }
  let text: string;
  try {
    const { bytes, truncated } = await readCapped(response, Math.min(ROBOTS_MAX_BYTES, options.maxBytes));
    text = new TextDecoder().decode(bytes);
    // A cut file ends mid-line: that last line is not a whole rule.
    if (truncated) text = text.slice(0, text.lastIndexOf("\n") + 1);
  } catch (error) {
    if (options.clientSignal.aborted) throw error;
    throw unreachable((error as Error)?.message ?? String(error));
  }
  return { rules: robotsParser(robotsUrl.href, text), text };
}
