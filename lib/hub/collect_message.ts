/** Folds a hub event sequence into one Anthropic message (non-stream responses are built from the stream). */
import { GatewayError } from "../errors/gateway_error.ts";
import type { HubEvent, ResponseBlock, ResponseMessage } from "./schema.ts";
import { cloneJson } from "./clone_json.ts";

type Draft = ResponseBlock & { partialJson?: string };

/** Throws the stream's error event as a GatewayError, so a failed non-stream call is a real HTTP error. */
export function collectMessage(events: Iterable<HubEvent>): ResponseMessage {
  let message: ResponseMessage | undefined;
  const blocks: Draft[] = [];
  for (const event of events) {
    switch (event.type) {
      case "message_start":
        message = cloneJson(event.message);
        break;
      case "content_block_start":
        blocks[event.index] = cloneJson(event.content_block);
        break;
      case "content_block_delta": {
        const block = blocks[event.index];
        if (!block) break;
        const delta = event.delta;
        if (delta.type === "text_delta" && block.type === "text") block.text += delta.text;
        else if (delta.type === "thinking_delta" && block.type === "thinking") {
          block.thinking += delta.thinking;
        } else if (delta.type === "signature_delta" && block.type === "thinking") {
          block.signature += delta.signature;
        } else if (delta.type === "citations_delta" && block.type === "text") {
          block.citations = [...(block.citations ?? []), delta.citation];
        } else if (delta.type === "input_json_delta") {
          block.partialJson = (block.partialJson ?? "") + delta.partial_json;
        }
        break;
      }
      case "message_delta":
        if (!message) break;
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        message.usage = { ...message.usage, ...event.usage };
        break;
      case "error":
        // An api_error in the stream is the upstream's fault (a malformed event, a cut stream): 502, not 500.
        throw new GatewayError(
          event.error.type as GatewayError["kind"],
          event.error.message,
          event.error.type === "api_error" ? { status: 502 } : {},
        );
    }
  }
  if (!message) throw new GatewayError("api_error", "Upstream returned an empty response");
  message.content = blocks.filter((block) => block !== undefined).map(finishBlock);
  return message;
}

function finishBlock(block: Draft): ResponseBlock {
  if (block.type !== "tool_use" && block.type !== "server_tool_use") return block;
  const { partialJson, ...rest } = block;
  if (partialJson === undefined || partialJson.trim() === "") return { ...rest, input: rest.input ?? {} };
  try {
    return { ...rest, input: JSON.parse(partialJson) };
  } catch {
    // A model that emits broken JSON still gets its text back, rather than a failed request.
    return { ...rest, input: { _raw_arguments: partialJson } };
  }
}
