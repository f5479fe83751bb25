/** The Chat Completions client format: request parsing, SSE writing, completion and error rendering. */
import { renderError } from "../../errors/render_error.ts";
import { parseOrThrow } from "../../errors/zod_error.ts";
import type { ClientWriter } from "../../hub/wire_format.ts";
import { type OpenaiChatRequest, openaiChatRequestSchema } from "./request_schema.ts";
import { openaiChatResponseFromHub } from "./response_from_hub.ts";
import { openaiChatStreamFromHub } from "./stream_from_hub.ts";

export function parseOpenaiChatRequest(json: unknown): OpenaiChatRequest {
  return parseOrThrow(openaiChatRequestSchema, json);
}

export interface OpenaiChatClientOptions {
  includeUsage: boolean;
}

/** A writer per request: whether the usage chunk is sent depends on the client's `stream_options`. */
export function createOpenaiChatClient(options: OpenaiChatClientOptions): ClientWriter {
  return {
    format: "openai-chat",
    createStreamFromHub: () => openaiChatStreamFromHub(options),
    renderMessage: (message) => openaiChatResponseFromHub(message),
    renderError: (error) => renderError(error, "openai-chat"),
  };
}

/** For errors before the request is parsed (no options known yet). */
export const openaiChatClient: ClientWriter = createOpenaiChatClient({ includeUsage: false });

/** The first user turn's text: what deriveSessionId hashes when the client sent no session id. */
export function openaiChatFirstUserText(request: OpenaiChatRequest): string {
  const first = request.messages.find((message) => message.role === "user");
  if (!first) return "";
  if (typeof first.content === "string") return first.content;
  return first.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}
