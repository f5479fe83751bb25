/**
 * `POST /v1/chat/completions`: OpenAI Chat clients to any family. Chat-family models get the client's JSON
 * passed through; every other family (and a fallback of another family) goes through the hub.
 */
import {
  createOpenaiChatClient,
  openaiChatFirstUserText,
  parseOpenaiChatRequest,
} from "../formats/openai-chat/mod.ts";
import { openaiChatRequestToHub } from "../formats/openai-chat/request_to_hub.ts";
import { openaiSessionSource } from "../formats/openai/session_headers.ts";
import { modelRoute } from "./relay_route.ts";

export const handleChatCompletions = modelRoute({
  parse: parseOpenaiChatRequest,
  session: (headers, chat) =>
    openaiSessionSource(headers, chat.prompt_cache_key, openaiChatFirstUserText(chat)),
  toHub: (chat, resolved) => ({
    hub: openaiChatRequestToHub(chat, { defaultMaxTokens: resolved.limits.output }),
    client: createOpenaiChatClient({ includeUsage: chat.stream_options?.include_usage === true }),
  }),
  passthrough: true,
});
