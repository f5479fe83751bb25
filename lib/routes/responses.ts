/**
 * `POST /v1/responses`: OpenAI Responses clients (Codex, the SDK) to any family. Responses-family models get
 * the client's JSON passed through; every other family (and a fallback of another family) goes through the hub.
 */
import {
  createOpenaiResponsesClient,
  openaiResponsesFirstUserText,
  parseOpenaiResponsesRequest,
} from "../formats/openai-responses/mod.ts";
import { openaiResponsesRequestToHub } from "../formats/openai-responses/request_to_hub.ts";
import { openaiSessionSource } from "../formats/openai/session_headers.ts";
import { modelRoute } from "./relay_route.ts";

export const handleResponses = modelRoute({
  parse: parseOpenaiResponsesRequest,
  session: (headers, parsed) =>
    openaiSessionSource(headers, parsed.prompt_cache_key, openaiResponsesFirstUserText(parsed)),
  toHub: (parsed, resolved) => {
    const { hub, customTools } = openaiResponsesRequestToHub(parsed, {
      defaultMaxTokens: resolved.limits.output,
    });
    const webSearchSources = Array.isArray(parsed.include) &&
      parsed.include.includes("web_search_call.action.sources");
    return { hub, client: createOpenaiResponsesClient({ customTools, webSearchSources }) };
  },
  passthrough: true,
});
