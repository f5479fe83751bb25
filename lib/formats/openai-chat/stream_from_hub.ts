/**
 * Writes hub events as Chat Completions SSE: `chat.completion.chunk` frames, role on the first delta,
 * reasoning as `reasoning_content`, tool calls by index, a usage chunk when asked for, then `data: [DONE]`.
 */
import type { HubEvent, Usage } from "../../hub/schema.ts";
import type { StreamFromHub } from "../../hub/wire_format.ts";
import {
  openaiChatCompletionId,
  openaiChatFinishReasonFromHub,
  openaiChatUsageFromHub,
} from "./response_from_hub.ts";
import { nowSeconds } from "../openai/now_seconds.ts";
import { openaiStreamErrorFrame } from "../openai/stream_frames.ts";
import { openaiStreamWriter } from "../openai/openai_stream_writer.ts";
import { chatAnnotation, type ChatUrlAnnotation } from "./url_annotations.ts";

export interface OpenaiChatStreamOptions {
  /** `stream_options.include_usage`: a final `choices: []` chunk with the usage. */
  includeUsage: boolean;
}

const DONE = "data: [DONE]\n\n";

export function openaiChatStreamFromHub(options: OpenaiChatStreamOptions): StreamFromHub {
  let prefix = "";
  let id = "chatcmpl-";
  let model = "";
  const created = nowSeconds();
  let usage: Partial<Usage> = {};
  /** Hub block index → Chat tool-call index (0, 1, 2… in the order calls start). */
  const toolIndex = new Map<number, number>();
  /** Web search citations: where each text block starts in the content, and the annotations so far. */
  const textStart = new Map<number, number>();
  let textLength = 0;
  const annotations: ChatUrlAnnotation[] = [];

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
        if (event.content_block.type === "text") textStart.set(event.index, textLength);
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
        if (delta.type === "text_delta") {
          textLength += delta.text.length;
          return chunk({ content: delta.text });
        }
        if (delta.type === "citations_delta") {
          const annotation = chatAnnotation(delta.citation, textStart.get(event.index) ?? 0);
          if (annotation) annotations.push(annotation);
          return "";
        }
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
        // All of them in one delta before the finish: the SDK's stream helper sets message.annotations from it.
        return (annotations.length > 0 ? chunk({ annotations }) : "") + chunk(
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

  return openaiStreamWriter(one);
}
