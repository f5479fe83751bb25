/**
 * Anthropic's domain-filter rule for the web tools: an entry matches its domain and every subdomain; an entry
 * with a path matches search results below that path, and never matches a fetch URL.
 */
import type { DomainFilter } from "./web_tool_specs.ts";

function entryMatches(entry: string, url: URL, allowPaths: boolean): boolean {
  const slash = entry.indexOf("/");
  const host = (slash < 0 ? entry : entry.slice(0, slash)).toLowerCase().replace(/^www\./, "");
  const path = slash < 0 ? "" : entry.slice(slash);
  const hostname = url.hostname.toLowerCase().replace(/^www\./, "");
  if (hostname !== host && !hostname.endsWith(`.${host}`)) return false;
  if (path === "") return true;
  if (!allowPaths) return false;
  const pattern = new RegExp(`^${path.split("*").map(escape).join("[^/]*")}`);
  return pattern.test(url.pathname);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True when `url` passes the filter; `kind` decides whether path entries count (search) or not (fetch). */
export function domainAllowed(url: URL, filter: DomainFilter, kind: "search" | "fetch"): boolean {
  const allowPaths = kind === "search";
  if (filter.blocked.some((entry) => entryMatches(entry, url, allowPaths))) return false;
  if (filter.allowed.length === 0) return true;
  return filter.allowed.some((entry) => entryMatches(entry, url, allowPaths));
}

/** The host part of each entry, for backends that take plain domain lists. */
export function filterHosts(entries: readonly string[]): string[] {
  return entries.map((entry) => entry.split("/")[0]);
}
