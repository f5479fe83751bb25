/** `POST /v1/messages`: Anthropic clients (Claude Code, Claude Desktop, the SDK) to any upstream family. */
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
    const model = await context.catalog.resolve(context.pathModel ?? hub.model, { service: context.service });
    const sessionId = await deriveSessionId(request.headers, hub, apiKey);
    return await relay({
      config: context.config,
      fetch: context.fetch,
      request: hub,
      call: { model, apiKey, sessionId, clientHeaders: request.headers },
      client: anthropicClient,
      clientRequest: request,
      stream: hub.stream === true,
    });
  } catch (error) {
    return anthropicClient.renderError(toGatewayError(error));
  }
}
