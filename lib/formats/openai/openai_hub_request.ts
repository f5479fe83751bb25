/** The start of a hub request from either OpenAI wire: the fields Chat and Responses carry alike. */
import type { HubMessage, HubRequest } from "../../hub/schema.ts";

/** Top-level fields both wires name the same way. */
export interface OpenaiCommonFields {
  model: string;
  stream?: boolean | null;
  temperature?: number | null;
  top_p?: number | null;
}

export interface OpenaiConvertedParts {
  messages: HubMessage[];
  maxTokens: number;
  /** System and developer texts, instructions and format notes, joined into the hub's one system string. */
  system: string[];
}

export function openaiHubRequest(request: OpenaiCommonFields, parts: OpenaiConvertedParts): HubRequest {
  const hub: HubRequest = {
    model: request.model,
    messages: parts.messages,
    max_tokens: parts.maxTokens,
    stream: request.stream === true,
  };
  if (parts.system.length > 0) hub.system = parts.system.join("\n\n");
  if (request.temperature != null) hub.temperature = request.temperature;
  if (request.top_p != null) hub.top_p = request.top_p;
  return hub;
}
