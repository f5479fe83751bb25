/** The Anthropic Messages client format: request parsing, SSE writing, message and error rendering. */
import { renderError } from "../../errors/render_error.ts";
import { parseOrThrow } from "../../errors/zod_error.ts";
import type { ClientWriter } from "../../hub/wire_format.ts";
import {
  type CountTokensRequest,
  countTokensRequestSchema,
  type HubRequest,
  requestSchema,
} from "../../hub/schema.ts";
import { anthropicStreamFromHub } from "./stream_from_hub.ts";

export function parseAnthropicRequest(json: unknown): HubRequest {
  return parseOrThrow(requestSchema, json);
}

export function parseAnthropicCountTokensRequest(json: unknown): CountTokensRequest {
  return parseOrThrow(countTokensRequestSchema, json);
}

export const anthropicClient: ClientWriter = {
  format: "anthropic",
  createStreamFromHub: anthropicStreamFromHub,
  renderMessage: (message) => message,
  renderError: (error) => renderError(error, "anthropic"),
};
