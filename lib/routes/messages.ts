/** `POST /v1/messages`: Anthropic clients (Claude Code, Claude Desktop, the SDK) to any upstream family. */
import { fitRequest } from "../catalog/fit_request.ts";
import { toGatewayError } from "../errors/gateway_error.ts";
import { anthropicClient, parseAnthropicRequest } from "../formats/anthropic/client.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { relay } from "../relay.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext } from "./context.ts";

export async function handleMessages(request: Request, context: RouteContext): Promise<Response> {
  try {
    const apiKey = resolveUpstreamKey(request.headers, context.config);
    const hub = parseAnthropicRequest(await readJson(request, context.config.BODY_LIMIT_BYTES));
    const resolved = await context.catalog.resolve(context.pathModel ?? hub.model, {
      service: context.service,
      fromPath: context.pathModel !== undefined,
    });
    // Vision re-route, max_tokens clamp and context check, before anything goes upstream.
    const fitted = await fitRequest(hub, resolved, { catalog: context.catalog, config: context.config });
    const model = fitted.model;
    const sessionId = await deriveSessionId(request.headers, hub, apiKey);
    return await relay({
      config: context.config,
      fetch: context.fetch,
      request: fitted.request,
      call: { model, apiKey, sessionId, clientHeaders: request.headers },
      client: anthropicClient,
      clientRequest: request,
      stream: hub.stream === true,
      headers: { ...fitted.headers, "x-opencode-matched-by": resolved.matchedBy },
      resolveFallback: (name) => context.catalog.resolve(name, { service: context.service }),
    });
  } catch (error) {
    return anthropicClient.renderError(toGatewayError(error));
  }
}
