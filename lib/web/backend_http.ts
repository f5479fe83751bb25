/** What every search backend shares: its hit shape, its errors (with Anthropic's codes) and its JSON calls. */
import type { Config } from "../config.ts";
import type { DomainFilter } from "./web_tool_specs.ts";

export interface SearchHit {
  url: string;
  title: string;
  /** Page text the backend returned with the hit; what the model reads. */
  snippet: string;
  pageAge: string | null;
}

/** A backend failure with the Anthropic error code it maps to. */
export class WebToolError extends Error {
  override name = "WebToolError";
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface SearchBackend {
  name: string;
  /** `maxResults` overrides TAVILY_MAX_RESULTS for one search (Chat's search_context_size). */
  search(
    query: string,
    domains: DomainFilter,
    signal: AbortSignal,
    maxResults?: number,
  ): Promise<SearchHit[]>;
}

export type BackendConfig = Pick<
  Config,
  "TAVILY_API_KEY" | "TAVILY_BASE_URL" | "TAVILY_MAX_RESULTS" | "SEARXNG_URL" | "WEB_FETCH_TIMEOUT_MS"
>;

/** A backend HTTP status as the tool's error code: 429/432/433 are limits, the rest `unavailable`. */
export function statusError(service: string, status: number): WebToolError {
  const limited = status === 429 || status === 432 || status === 433;
  return new WebToolError(
    limited ? "too_many_requests" : "unavailable",
    `${service} answered HTTP ${status}`,
  );
}

/** Reads a JSON answer, mapping transport faults and non-2xx statuses to WebToolErrors. */
export async function backendJson(
  service: string,
  request: () => Promise<Response>,
): Promise<unknown> {
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    throw new WebToolError("unavailable", `${service} unreachable: ${(error as Error)?.message ?? error}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw statusError(service, response.status);
  }
  try {
    return await response.json();
  } catch {
    throw new WebToolError("unavailable", `${service} answered with a body that is not JSON`);
  }
}
