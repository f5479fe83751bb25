/** A collected hub message → a Chat Completions `chat.completion` object (non-stream responses). */
import { nowSeconds } from "../openai/now_seconds.ts";
import type { ResponseMessage, StopReason, Usage } from "../../hub/schema.ts";
import { chatAnnotation, type ChatUrlAnnotation } from "./url_annotations.ts";

export interface OpenaiChatUsageOut {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

/** Hub usage → Chat usage: OpenAI's `prompt_tokens` includes cache reads and writes. */
export function openaiChatUsageFromHub(usage: Partial<Usage>): OpenaiChatUsageOut {
  const cached = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cached + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

/**
 * Hub stop reason → `finish_reason`; a response that called tools says `tool_calls` whatever the upstream said.
 *
 * @example openaiChatFinishReasonFromHub("max_tokens", { sawToolUse: false }) === "length"
 */
export function openaiChatFinishReasonFromHub(
  reason: StopReason | null,
  context: { sawToolUse: boolean },
): "stop" | "length" | "tool_calls" | "content_filter" {
  switch (reason) {
    case "max_tokens":
      return "length";
    case "refusal":
      return "content_filter";
    case "tool_use":
      return "tool_calls";
    default:
      return context.sawToolUse ? "tool_calls" : "stop";
  }
}

/** `msg_abc` → `chatcmpl-abc`, so logs can match a client's id to the hub's. */
export function openaiChatCompletionId(messageId: string): string {
  return `chatcmpl-${messageId.replace(/^msg_/, "")}`;
}

export function openaiChatResponseFromHub(message: ResponseMessage, created = nowSeconds()): unknown {
  let text = "";
  let reasoning = "";
  const toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
  const annotations: ChatUrlAnnotation[] = [];
  for (const block of message.content) {
    if (block.type === "text") {
      for (const citation of block.citations ?? []) {
        const annotation = chatAnnotation(citation, text.length);
        if (annotation) annotations.push(annotation);
      }
      text += block.text;
    } else if (block.type === "thinking") reasoning += block.thinking;
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const assistant: Record<string, unknown> = {
    role: "assistant",
    content: text.length > 0 || toolCalls.length === 0 ? text : null,
    refusal: null,
  };
  if (reasoning) assistant.reasoning_content = reasoning;
  if (annotations.length > 0) assistant.annotations = annotations;
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  return {
    id: openaiChatCompletionId(message.id),
    object: "chat.completion",
    created,
    model: message.model,
    choices: [{
      index: 0,
      message: assistant,
      logprobs: null,
      finish_reason: openaiChatFinishReasonFromHub(message.stop_reason, { sawToolUse: toolCalls.length > 0 }),
    }],
    usage: openaiChatUsageFromHub(message.usage),
  };
}
