/** The Responses API client format: request parsing, SSE writing, response and error rendering. */
import { renderError } from "../../errors/render_error.ts";
import { parseOrThrow } from "../../errors/zod_error.ts";
import type { ClientWriter } from "../../hub/wire_format.ts";
import { type OpenaiResponsesRequest, openaiResponsesRequestSchema } from "./request_schema.ts";
import { openaiResponsesResponseFromHub, type OpenaiResponsesWriterOptions } from "./response_from_hub.ts";
import { openaiResponsesStreamFromHub } from "./stream_from_hub.ts";

export function parseOpenaiResponsesRequest(json: unknown): OpenaiResponsesRequest {
  return parseOrThrow(openaiResponsesRequestSchema, json);
}

/** A writer per request: freeform tool calls are told apart by the request's own tool list. */
export function createOpenaiResponsesClient(options: OpenaiResponsesWriterOptions): ClientWriter {
  return {
    format: "openai-responses",
    createStreamFromHub: () => openaiResponsesStreamFromHub(options),
    renderMessage: (message) => openaiResponsesResponseFromHub(message, options),
    renderError: (error) => renderError(error, "openai-responses"),
  };
}

/** For errors before the request is parsed. */
export const openaiResponsesClient: ClientWriter = createOpenaiResponsesClient({ customTools: new Set() });

/** The first user message's text: what deriveSessionId hashes when the client sent no session id. */
export function openaiResponsesFirstUserText(request: OpenaiResponsesRequest): string {
  if (typeof request.input === "string") return request.input;
  for (const item of request.input as { type?: string; role?: unknown; content?: unknown }[]) {
    if ((item.type ?? "message") !== "message" || item.role !== "user") continue;
    if (typeof item.content === "string") return item.content;
    if (!Array.isArray(item.content)) return "";
    return item.content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : ""))
      .join("\n");
  }
  return "";
}
