/** `POST /v1/messages`: Anthropic clients (Claude Code, Claude Desktop, the SDK) to any upstream family. */
import { toGatewayError } from "../errors/gateway_error.ts";
import { anthropicClient, parseAnthropicRequest } from "../formats/anthropic/client.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext } from "./context.ts";
import { fitAndRelay, resolveRouteModel } from "./relay_route.ts";

export async function handleMessages(request: Request, context: RouteContext): Promise<Response> {
  try {
    const apiKey = resolveUpstreamKey(request.headers, context.config);
    const hub = parseAnthropicRequest(
      await readJson(request, context.config.BODY_LIMIT_BYTES, context.config.JSON_MAX_DEPTH),
    );
    const resolved = await resolveRouteModel(context, hub.model);
    return await fitAndRelay(request, context, {
      hub,
      resolved,
      apiKey,
      sessionId: await deriveSessionId(request.headers, hub, apiKey),
      client: anthropicClient,
      stream: hub.stream === true,
    });
  } catch (error) {
    return anthropicClient.renderError(toGatewayError(error));
  }
}
