/**
 * `GET /v1/models` and `GET /v1/models/{id}` (also under `/go` and `/zen`): Anthropic's shape for an Anthropic
 * client (clientFormatOf: the request carries `anthropic-version`, as Claude Code and the Anthropic SDK do),
 * OpenAI's otherwise. Answered from the catalog in memory; never calls an upstream.
 */
import { quoteClientText } from "../catalog/model_name_limits.ts";
import { realListings } from "../catalog/real_listings.ts";
import type { ModelListing } from "../catalog/types.ts";
import { GatewayError, toGatewayError } from "../errors/gateway_error.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import type { RouteContext } from "./context.ts";
import { discoveryFields } from "./discovery_fields.ts";
import type { Config } from "../config.ts";

const ownerByService = { go: "opencode-go", zen: "opencode" } as const;

/** With GATEWAY_KEYS set, listing needs a gateway key too (it needs no upstream key otherwise). */
function checkAccess(request: Request, context: RouteContext): void {
  if (context.config.GATEWAY_KEYS?.length) resolveUpstreamKey(request.headers, context.config);
}

export async function handleListModels(request: Request, context: RouteContext): Promise<Response> {
  try {
    checkAccess(request, context);
    const listings = await context.catalog.list({ service: context.service });
    if (context.client.format !== "anthropic") {
      return Response.json({ object: "list", data: realListings(listings).map(openaiModel) });
    }
    return Response.json(anthropicPage(listings, new URL(request.url).searchParams, context.config));
  } catch (error) {
    return context.client.renderError(toGatewayError(error));
  }
}

export async function handleGetModel(request: Request, context: RouteContext): Promise<Response> {
  try {
    checkAccess(request, context);
    const id = decodeModelId(new URL(request.url).pathname.replace(/^.*?\/v1\/models\//, ""));
    const listings = await context.catalog.list({ service: context.service });
    let listing = listings.find((candidate) => candidate.id === id);
    if (!listing) {
      // Any name the resolver accepts (prefixes, Claude names mapped to Go) is a model here too.
      const resolved = await context.catalog.resolve(id, { service: context.service });
      const target = listings.find((candidate) =>
        candidate.id === resolved.upstreamModel && candidate.service === resolved.service
      );
      listing = {
        id,
        displayName: `${id} → ${target?.displayName ?? resolved.upstreamModel}`,
        service: resolved.service,
        family: resolved.family,
        created: target?.created ?? 0,
      };
    }
    return Response.json(
      context.client.format === "anthropic" ? anthropicModel(listing, context.config) : openaiModel(listing),
    );
  } catch (error) {
    return context.client.renderError(toGatewayError(error));
  }
}

/** A broken escape (`%ZZ`) is the client's mistake: a 400 that quotes a prefix, never a URIError's 500. */
function decodeModelId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GatewayError(
      "invalid_request_error",
      `Malformed percent-encoding in the model id ${quoteClientText(segment)}`,
    );
  }
}

function openaiModel(listing: ModelListing) {
  return {
    id: listing.id,
    object: "model",
    created: listing.created,
    // A configured provider owns its models under its own name.
    owned_by: ownerByService[listing.service as keyof typeof ownerByService] ?? listing.service,
  };
}

function anthropicModel(listing: ModelListing, config: Config) {
  return {
    type: "model",
    id: listing.id,
    display_name: listing.displayName,
    created_at: new Date(listing.created * 1000).toISOString(),
    ...discoveryFields(listing, config),
  };
}

/** Anthropic's cursor pagination: `limit` (1–1000, default 20), `after_id`, `before_id`. */
function anthropicPage(listings: ModelListing[], query: URLSearchParams, config: Config) {
  const limit = Number(query.get("limit") ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new GatewayError("invalid_request_error", "limit: must be an integer from 1 to 1000", {
      param: "limit",
    });
  }
  const afterId = query.get("after_id");
  const beforeId = query.get("before_id");
  let start = 0;
  let end = listings.length;
  if (afterId) start = cursorIndex(listings, afterId, "after_id") + 1;
  if (beforeId) end = cursorIndex(listings, beforeId, "before_id");
  const page = beforeId && !afterId
    ? listings.slice(Math.max(start, end - limit), end)
    : listings.slice(start, Math.min(end, start + limit));
  const hasMore = beforeId && !afterId ? end - limit > start : start + limit < end;
  return {
    data: page.map((listing) => anthropicModel(listing, config)),
    has_more: hasMore,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  };
}

function cursorIndex(listings: ModelListing[], id: string, param: string): number {
  const index = listings.findIndex((listing) => listing.id === id);
  if (index < 0) {
    throw new GatewayError("invalid_request_error", `${param}: unknown model id ${quoteClientText(id)}`, {
      param,
    });
  }
  return index;
}
