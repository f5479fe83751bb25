/**
 * `POST /v1/responses`: OpenAI Responses clients (Codex, the SDK) to any family. Responses-family models get
 * the client's JSON passed through; every other family (and a fallback of another family) goes through the hub.
 */
import { toGatewayError } from "../errors/gateway_error.ts";
import { openaiSessionHeaders } from "../formats/openai-chat/client.ts";
import {
  createOpenaiResponsesClient,
  openaiResponsesClient,
  openaiResponsesFirstUserText,
  parseOpenaiResponsesRequest,
} from "../formats/openai-responses/client.ts";
import { openaiResponsesRequestToHub } from "../formats/openai-responses/request_to_hub.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { deriveSessionId } from "../upstream/session_id.ts";
import type { RouteContext } from "./context.ts";
import { fitAndRelay, resolveRouteModel } from "./relay_route.ts";

export async function handleResponses(request: Request, context: RouteContext): Promise<Response> {
  try {
    const apiKey = resolveUpstreamKey(request.headers, context.config);
    const json = await readJson(
      request,
      context.config.BODY_LIMIT_BYTES,
      context.config.JSON_MAX_DEPTH,
    ) as Record<string, unknown>;
    const parsed = parseOpenaiResponsesRequest(json);
    const resolved = await resolveRouteModel(context, parsed.model);
    const sessionId = await deriveSessionId(
      await openaiSessionHeaders(request.headers, parsed.prompt_cache_key),
      { messages: [{ role: "user", content: openaiResponsesFirstUserText(parsed) }] },
      apiKey,
    );
    const { hub, customTools } = openaiResponsesRequestToHub(parsed, {
      defaultMaxTokens: resolved.limits.output,
    });
    return await fitAndRelay(request, context, {
      hub,
      resolved,
      apiKey,
      sessionId,
      client: createOpenaiResponsesClient({ customTools }),
      stream: parsed.stream === true,
      passthrough: { body: json, maxTokensFields: ["max_output_tokens"] },
    });
  } catch (error) {
    return openaiResponsesClient.renderError(toGatewayError(error));
  }
}
