/**
 * What every model route does once it has parsed its request: resolve the model, make the request fit it
 * (vision re-route, max-tokens clamp, context check), then relay with fallbacks.
 */
import { fitRequest } from "../catalog/fit_request.ts";
import type { ResolvedModel } from "../catalog/types.ts";
import type { HubRequest } from "../formats/anthropic/schema.ts";
import type { ClientWriter } from "../formats/wire_format.ts";
import { recordFor } from "../log/request_record.ts";
import { prepareForModel } from "../providers/prepare_for_model.ts";
import { relay } from "../relay.ts";
import type { RouteContext } from "./context.ts";

/** The model the client asked for: the path's (`/go/<model>/v1/…`) over the body's. */
export function resolveRouteModel(context: RouteContext, bodyModel: string): Promise<ResolvedModel> {
  return context.catalog.resolve(context.pathModel ?? bodyModel, {
    service: context.service,
    fromPath: context.pathModel !== undefined,
  });
}

export interface RouteRelayOptions {
  hub: HubRequest;
  resolved: ResolvedModel;
  apiKey: string;
  sessionId: string;
  client: ClientWriter;
  stream: boolean;
  /** The client's own JSON, passed through when the answering model speaks the client's format. */
  passthrough?: {
    body: Record<string, unknown>;
    /**
     * Its max-tokens fields: a clamp is written to those the client set, or to the first when it set none.
     */
    maxTokensFields: readonly string[];
  };
}

export async function fitAndRelay(
  request: Request,
  context: RouteContext,
  options: RouteRelayOptions,
): Promise<Response> {
  const { resolved } = options;
  // compactSystem and the summary-format instruction; a changed request is sent translated, not passed through.
  const hub = await prepareForModel(options.hub, resolved, recordFor(request));
  // Vision re-route, max_tokens clamp and context check, before anything goes upstream.
  const fitted = await fitRequest(hub, resolved, { catalog: context.catalog, config: context.config });
  const passthrough = hub === options.hub ? options.passthrough : undefined;
  return await relay({
    config: context.config,
    fetch: context.fetch,
    request: fitted.request,
    call: {
      model: fitted.model,
      apiKey: options.apiKey,
      sessionId: options.sessionId,
      clientHeaders: request.headers,
    },
    client: options.client,
    clientRequest: request,
    stream: options.stream,
    headers: { ...fitted.headers, "x-opencode-matched-by": resolved.matchedBy },
    resolveFallback: (name) => context.catalog.resolve(name, { service: context.service }),
    passthroughBody: passthrough && fitted.request.max_tokens !== hub.max_tokens
      ? withMaxTokens(passthrough.body, passthrough.maxTokensFields, fitted.request.max_tokens)
      : passthrough?.body,
  });
}

function withMaxTokens(
  body: Record<string, unknown>,
  fields: readonly string[],
  maxTokens: number,
): Record<string, unknown> {
  const set = fields.filter((field) => body[field] !== undefined && body[field] !== null);
  const clamped = { ...body };
  for (const field of set.length > 0 ? set : fields.slice(0, 1)) clamped[field] = maxTokens;
  return clamped;
}
