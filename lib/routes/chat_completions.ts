/**
 * `POST /v1/chat/completions`: OpenAI Chat clients to any family. Chat-family models get the client's JSON
 * passed through; every other family goes through the hub like an Anthropic request.
 */
import { toGatewayError } from "../errors/gateway_error.ts";
import {
  createOpenaiChatClient,
  openaiChatClient,
  openaiChatFirstUserText,
  openaiSessionHeaders,
  parseOpenaiChatRequest,
} from "../formats/openai-chat/client.ts";
import { relayOpenaiChatPassthrough } from "../formats/openai-chat/passthrough.ts";
import { openaiChatRequestToHub } from "../formats/openai-chat/request_to_hub.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { relay } from "../relay.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext } from "./context.ts";

export async function handleChatCompletions(request: Request, context: RouteContext): Promise<Response> {
  try {
    const apiKey = resolveUpstreamKey(request.headers, context.config);
    const json = await readJson(request, context.config.BODY_LIMIT_BYTES) as Record<string, unknown>;
    const chat = parseOpenaiChatRequest(json);
    const model = await context.catalog.resolve(context.pathModel ?? chat.model, {
      service: context.service,
    });
    const sessionId = await deriveSessionId(
      openaiSessionHeaders(request.headers, chat.prompt_cache_key),
      { messages: [{ role: "user", content: openaiChatFirstUserText(chat) }] },
      apiKey,
    );
    const stream = chat.stream === true;
    const includeUsage = chat.stream_options?.include_usage === true;
    if (model.family === "openai-chat") {
      return await relayOpenaiChatPassthrough({
        config: context.config,
        fetch: context.fetch,
        clientRequest: request,
        model,
        apiKey,
        sessionId,
        body: json,
        stream,
        includeUsage,
      });
    }
    const hub = openaiChatRequestToHub(chat, { defaultMaxTokens: model.limits.output });
    return await relay({
      config: context.config,
      fetch: context.fetch,
      request: hub,
      call: { model, apiKey, sessionId, clientHeaders: request.headers },
      client: createOpenaiChatClient({ includeUsage }),
      clientRequest: request,
      stream,
    });
  } catch (error) {
    return openaiChatClient.renderError(toGatewayError(error));
  }
}
