/**
 * Anthropic's web server tools in a request's `tools`: `web_search_<date>` (name `web_search`) and
 * `web_fetch_<date>` (name `web_fetch`), with their limits and domain filters. Models that cannot run them get
 * plain function tools of the same names instead (see web_tool_loop.ts).
 */
import { z } from "zod";
import { GatewayError } from "../errors/gateway_error.ts";
import type { HubTool } from "../hub/schema.ts";

/** Every version the reference lists; a newer date is taken as the same tool. */
const SEARCH_TYPE = /^web_search_\d{8}$/;
const FETCH_TYPE = /^web_fetch_\d{8}$/;

const domainList = z.array(z.string()).optional();

const specSchema = z.looseObject({
  max_uses: z.number().int().positive().optional(),
  allowed_domains: domainList.nullable(),
  blocked_domains: domainList.nullable(),
  max_content_tokens: z.number().int().positive().optional(),
  use_cache: z.boolean().optional(),
  user_location: z.looseObject({
    type: z.literal("approximate"),
    city: z.string().nullish(),
    region: z.string().nullish(),
    country: z.string().nullish(),
    timezone: z.string().nullish(),
  }).nullish(),
  /** Not Anthropic's: Chat's web_search_options.search_context_size (chat_web_search.ts). */
  search_context_size: z.enum(["low", "medium", "high"]).optional(),
});

export interface DomainFilter {
  allowed: string[];
  blocked: string[];
}

export interface WebToolSpec {
  name: "web_search" | "web_fetch";
  maxUses?: number;
  domains: DomainFilter;
  /** web_fetch only: approximate cap on the text handed to the model. */
  maxContentTokens?: number;
  /** web_fetch_20260309+: `false` fetches afresh instead of answering from the cache. */
  useCache?: boolean;
  /** web_search only: where the user is, told to the model so its queries can be local. */
  userLocation?: string;
  /** web_search only: the results wanted per search, by context size (the backend's default otherwise). */
  contextSize?: "low" | "medium" | "high";
}

export interface WebToolSpecs {
  search?: WebToolSpec;
  fetch?: WebToolSpec;
}

export function isWebServerTool(tool: HubTool): boolean {
  return typeof tool.type === "string" && (SEARCH_TYPE.test(tool.type) || FETCH_TYPE.test(tool.type));
}

/** The web server tools a request declares, or undefined when it declares none. Bad settings are a 400. */
export function webToolSpecs(tools: readonly HubTool[] | undefined): WebToolSpecs | undefined {
  const specs: WebToolSpecs = {};
  for (const tool of tools ?? []) {
    if (!isWebServerTool(tool)) continue;
    const name = SEARCH_TYPE.test(tool.type!) ? "web_search" : "web_fetch";
    if (tool.name !== name) {
      throw new GatewayError("invalid_request_error", `tools: ${tool.type}.name: Input should be '${name}'`);
    }
    const parsed = specSchema.safeParse(tool);
    if (!parsed.success) {
      throw new GatewayError(
        "invalid_request_error",
        `tools: ${tool.type}: ${parsed.error.issues[0].message}`,
      );
    }
    const allowed = parsed.data.allowed_domains ?? [];
    const blocked = parsed.data.blocked_domains ?? [];
    if (allowed.length > 0 && blocked.length > 0) {
      throw new GatewayError(
        "invalid_request_error",
        `tools: ${tool.type}: allowed_domains and blocked_domains cannot both be set`,
      );
    }
    for (const domain of [...allowed, ...blocked]) checkDomainEntry(tool.type!, domain);
    const spec: WebToolSpec = {
      name,
      maxUses: parsed.data.max_uses,
      domains: { allowed, blocked },
      maxContentTokens: parsed.data.max_content_tokens,
      useCache: parsed.data.use_cache,
      userLocation: locationText(parsed.data.user_location),
      contextSize: parsed.data.search_context_size,
    };
    if (name === "web_search") specs.search = spec;
    else specs.fetch = spec;
  }
  return specs.search || specs.fetch ? specs : undefined;
}

function locationText(location: z.infer<typeof specSchema>["user_location"]): string | undefined {
  if (!location) return undefined;
  const place = [location.city, location.region, location.country].filter((part) => !!part).join(", ");
  const text = [place, location.timezone ? `time zone ${location.timezone}` : ""].filter(Boolean).join("; ");
  return text || undefined;
}

function checkDomainEntry(type: string, entry: string): void {
  const host = entry.split("/")[0];
  const valid = entry.length > 0 && !entry.includes("://") && !host.includes("*") && host.includes(".") &&
    /^[\x21-\x7e]+$/.test(entry);
  if (!valid) {
    throw new GatewayError(
      "invalid_request_error",
      `tools: ${type}: "${entry}" is not a valid domain (bare ASCII domain, optional path, no scheme, no * in the host)`,
    );
  }
}
