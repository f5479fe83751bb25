/**
 * The one handler of every model route (`/v1/messages`, `/v1/chat/completions`, `/v1/responses`), driven by a
 * row per client format: read and parse the client's JSON, resolve the model, derive the session, convert to
 * the hub, make the request fit the model (vision re-route, max-tokens clamp, context check), then relay with
 * fallbacks. Errors are rendered in the client's format (context.client).
 */
import type { ResolvedModel } from "../catalog/types.ts";
import { toGatewayError } from "../errors/gateway_error.ts";
import { readJson } from "../http/read_json.ts";
import type { HubRequest } from "../hub/schema.ts";
import type { ClientWriter, RelayRequest } from "../hub/wire_format.ts";
import { recordFor } from "../log/request_record.ts";
import { earlyUpstreamKey, upstreamKeyFor } from "../providers/call_key.ts";
import { prepareForModel } from "../providers/prepare_for_model.ts";
import { relay } from "../relay.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext, RouteHandler } from "./context.ts";
import { fitWithDocuments } from "./fit_documents.ts";

/** What deriveSessionId reads: the headers (explicit ids, hints) and the conversation's first user turn. */
export interface SessionSource {
  headers: Headers;
  request: Pick<HubRequest, "messages" | "metadata">;
}

/** One client format's row: how its request is read and what of it goes where. */
export interface ClientRoute<Parsed extends { model: string }> {
  /** Validates the client's JSON; a failure is a 400 that names the field. */
  parse(json: unknown): Parsed;
  session(headers: Headers, parsed: Parsed): SessionSource | Promise<SessionSource>;
  /** The hub request, and the writer that answers this request in the client's format. */
  toHub(parsed: Parsed, resolved: ResolvedModel): { hub: HubRequest; client: ClientWriter };
  /**
   * The client's JSON goes upstream as it is to a model of its own format (Chat, Responses); an Anthropic
   * request is rebuilt from the hub for each upstream's profile instead.
   */
  passthrough: boolean;
}

/** The model the client asked for: the path's (`/go/<model>/v1/…`) over the body's. */
export function resolveRouteModel(context: RouteContext, bodyModel: string): Promise<ResolvedModel> {
  return context.catalog.resolve(context.pathModel ?? bodyModel, {
    service: context.service,
    fromPath: context.pathModel !== undefined,
  });
}

export function modelRoute<Parsed extends { model: string }>(route: ClientRoute<Parsed>): RouteHandler {
  return async (request, context) => {
    try {
      const early = earlyUpstreamKey(request.headers, context.config);
      const json = await readJson(request, context.config.BODY_LIMIT_BYTES, context.config.JSON_MAX_DEPTH);
      const parsed = route.parse(json);
      const resolved = await resolveRouteModel(context, parsed.model);
      // A keyless client may still use a provider with its own key (or none): refused only for OpenCode.
      const apiKey = early ?? upstreamKeyFor(request.headers, context.config, resolved);
      const session = await route.session(request.headers, parsed);
      const sessionId = await deriveSessionId(session.headers, session.request, apiKey);
      const converted = route.toHub(parsed, resolved);
      const client = converted.client;
      // compactSystem and the summary-format instruction; a changed request is sent translated, not passed on.
      const hub = await prepareForModel(converted.hub, resolved, recordFor(request));
      // Fits the model (vision re-route, max_tokens, context) and turns PDFs into what it reads (lib/documents/).
      const fitted = await fitWithDocuments(hub, resolved, {
        catalog: context.catalog,
        config: context.config,
        fetch: context.fetch,
        signal: request.signal,
        webFetchCache: context.webFetchCache,
      });
      const relayRequest: RelayRequest = {
        hub: fitted.request,
        stream: hub.stream === true,
        clientBody: route.passthrough && hub === converted.hub && !fitted.documentsChanged
          ? json as Record<string, unknown>
          : undefined,
        clampedMaxTokens: fitted.request.max_tokens !== hub.max_tokens
          ? fitted.request.max_tokens
          : undefined,
      };
      return await relay({
        config: context.config,
        fetch: context.fetch,
        resolveDns: context.resolveDns,
        request: relayRequest,
        call: { model: fitted.model, apiKey, sessionId, clientHeaders: request.headers },
        client,
        clientRequest: request,
        headers: { ...fitted.headers, "x-opencode-matched-by": resolved.matchedBy },
        fallbacks: { catalog: context.catalog, service: context.service },
        webFetchCache: context.webFetchCache,
      });
    } catch (error) {
      return context.client.renderError(toGatewayError(error));
    }
  };
}
