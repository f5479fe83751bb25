/**
 * `POST /v1/responses`: OpenAI Responses clients (Codex, the SDK) to any family. Responses-family models get
 * the client's JSON passed through; every other family goes through the hub.
 */
import { toGatewayError } from "../errors/gateway_error.ts";
import { openaiSessionHeaders } from "../formats/openai-chat/client.ts";
import {
  createOpenaiResponsesClient,
  openaiResponsesClient,
  openaiResponsesFirstUserText,
  parseOpenaiResponsesRequest,
} from "../formats/openai-responses/client.ts";
import { relayOpenaiResponsesPassthrough } from "../formats/openai-responses/passthrough.ts";
import { openaiResponsesRequestToHub } from "../formats/openai-responses/request_to_hub.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { relay } from "../relay.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext } from "./context.ts";

export async function handleResponses(request: Request, context: RouteContext): Promise<Response> {
  try {
    const apiKey = resolveUpstreamKey(request.headers, context.config);
    const json = await readJson(request, context.config.BODY_LIMIT_BYTES) as Record<string, unknown>;
    const parsed = parseOpenaiResponsesRequest(json);
    const model = await context.catalog.resolve(context.pathModel ?? parsed.model, {
      service: context.service,
    });
    const sessionId = await deriveSessionId(
      openaiSessionHeaders(request.headers, parsed.prompt_cache_key),
      { messages: [{ role: "user", content: openaiResponsesFirstUserText(parsed) }] },
      apiKey,
    );
    const stream = parsed.stream === true;
    if (model.family === "openai-responses") {
      return await relayOpenaiResponsesPassthrough({
        config: context.config,
        fetch: context.fetch,
        clientRequest: request,
        model,
        apiKey,
        sessionId,
        body: json,
        stream,
      });
    }
    const { hub, customTools } = openaiResponsesRequestToHub(parsed, {
      defaultMaxTokens: model.limits.output,
    });
    return await relay({
      config: context.config,
      fetch: context.fetch,
      request: hub,
      call: { model, apiKey, sessionId, clientHeaders: request.headers },
      client: createOpenaiResponsesClient({ customTools }),
      clientRequest: request,
      stream,
    });
  } catch (error) {
    return openaiResponsesClient.renderError(toGatewayError(error));
  }
}
