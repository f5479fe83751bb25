/**
 * `POST /v1/chat/completions`: OpenAI Chat clients to any family. Chat-family models get the client's JSON
 * passed through; every other family (and a fallback of another family) goes through the hub.
 */
import { toGatewayError } from "../errors/gateway_error.ts";
import {
  createOpenaiChatClient,
  openaiChatClient,
  openaiChatFirstUserText,
  openaiSessionHeaders,
  parseOpenaiChatRequest,
} from "../formats/openai-chat/client.ts";
import { openaiChatRequestToHub } from "../formats/openai-chat/request_to_hub.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext } from "./context.ts";
import { fitAndRelay, resolveRouteModel } from "./relay_route.ts";

export async function handleChatCompletions(request: Request, context: RouteContext): Promise<Response> {
  try {
    const apiKey = resolveUpstreamKey(request.headers, context.config);
    const json = await readJson(
      request,
      context.config.BODY_LIMIT_BYTES,
      context.config.JSON_MAX_DEPTH,
    ) as Record<string, unknown>;
    const chat = parseOpenaiChatRequest(json);
    const resolved = await resolveRouteModel(context, chat.model);
    const sessionId = await deriveSessionId(
      await openaiSessionHeaders(request.headers, chat.prompt_cache_key),
      { messages: [{ role: "user", content: openaiChatFirstUserText(chat) }] },
      apiKey,
    );
    return await fitAndRelay(request, context, {
      hub: openaiChatRequestToHub(chat, { defaultMaxTokens: resolved.limits.output }),
      resolved,
      apiKey,
      sessionId,
      client: createOpenaiChatClient({ includeUsage: chat.stream_options?.include_usage === true }),
      stream: chat.stream === true,
      passthrough: { body: json, maxTokensFields: ["max_tokens", "max_completion_tokens"] },
    });
  } catch (error) {
    return openaiChatClient.renderError(toGatewayError(error));
  }
}
