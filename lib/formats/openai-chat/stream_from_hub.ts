/**
 * Writes hub events as Chat Completions SSE: `chat.completion.chunk` frames, role on the first delta,
 * reasoning as `reasoning_content`, tool calls by index, a usage chunk when asked for, then `data: [DONE]`.
 */
import { statusForKind } from "../../errors/error_status.ts";
import { type ErrorKind, GatewayError } from "../../errors/gateway_error.ts";
import { openaiErrorBody } from "../../errors/render_error.ts";
import type { HubEvent, Usage } from "../../hub/schema.ts";
import type { StreamFromHub } from "../../hub/wire_format.ts";
import {
  nowSeconds,
  openaiChatCompletionId,
  openaiChatFinishReasonFromHub,
  openaiChatUsageFromHub,
} from "./response_from_hub.ts";

export interface ChatStreamOptions {
  /** `stream_options.include_usage`: a final `choices: []` chunk with the usage. */
  includeUsage: boolean;
}

/** SSE comment: every OpenAI SDK parser skips it, and it keeps proxies from closing an idle stream. */
export const OPENAI_PING = ": ping\n\n";
const DONE = "data: [DONE]\n\n";

/** The frame for a failure after headers: openai-node raises any payload with an `error` key as APIError. */
export function openaiStreamErrorFrame(kind: string, message: string): string {
  return `data: ${JSON.stringify(openaiErrorBody(new GatewayError(asErrorKind(kind), message)))}\n\n`;
}

/** A hub error event's `type` as a known kind (an upstream may relay a type of its own). */
export function asErrorKind(type: string): ErrorKind {
  return statusForKind(type as ErrorKind) === undefined ? "api_error" : type as ErrorKind;
}

export function openaiChatStreamFromHub(options: ChatStreamOptions): StreamFromHub {
  let prefix = "";
  let id = "chatcmpl-";
  let model = "";
  const created = nowSeconds();
  let usage: Partial<Usage> = {};
  /** Hub block index → Chat tool-call index (0, 1, 2… in the order calls start). */
  const toolIndex = new Map<number, number>();

  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    `${prefix}${JSON.stringify({ index: 0, delta, logprobs: null, finish_reason: finishReason })}]${
      options.includeUsage ? ',"usage":null' : ""
    }}\n\n`;

  function one(event: HubEvent): string {
    switch (event.type) {
      case "message_start":
        id = openaiChatCompletionId(event.message.id);
        model = event.message.model;
        usage = { ...event.message.usage };
        prefix = `data: {"id":${
          JSON.stringify(id)
        },"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":[`;
        return chunk({ role: "assistant", content: "" });
      case "content_block_start":
        if (event.content_block.type !== "tool_use") return "";
        toolIndex.set(event.index, toolIndex.size);
        return chunk({
          tool_calls: [{
            index: toolIndex.get(event.index),
            id: event.content_block.id,
            type: "function",
            function: { name: event.content_block.name, arguments: "" },
          }],
        });
      case "content_block_delta": {
        const delta = event.delta;
        if (delta.type === "text_delta") return chunk({ content: delta.text });
        if (delta.type === "thinking_delta") return chunk({ reasoning_content: delta.thinking });
        if (delta.type === "input_json_delta") {
          const index = toolIndex.get(event.index);
          if (index === undefined) return "";
          return chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] });
        }
        return "";
      }
      case "message_delta":
        usage = { ...usage, ...event.usage };
        return chunk(
          {},
          openaiChatFinishReasonFromHub(event.delta.stop_reason, { sawToolUse: toolIndex.size > 0 }),
        );
      case "message_stop": {
        const tail = options.includeUsage
          ? `data: ${
            JSON.stringify({
              id,
              object: "chat.completion.chunk",
              created,
              model,
              choices: [],
              usage: openaiChatUsageFromHub(usage),
            })
          }\n\n`
          : "";
        return tail + DONE;
      }
      case "error":
        return openaiStreamErrorFrame(event.error.type, event.error.message);
      default:
        return "";
    }
  }

  return {
    write(events: readonly HubEvent[]): string {
      let out = "";
      for (const event of events) out += one(event);
      return out;
    },
    ping: () => OPENAI_PING,
  };
}
