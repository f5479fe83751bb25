/** Chat Completions `finish_reason` → Anthropic `stop_reason`, as a pure function of the reason and context. */
import type { StopReason } from "../../hub/schema.ts";

export interface OpenaiChatStopContext {
  /** A tool_use block was emitted in this response. */
  sawToolUse: boolean;
}

/**
 * Some upstreams say `stop` after emitting tool calls (Bifrost #6123); Claude Code only runs tools on
 * `tool_use`, so tool calls win over whatever reason came with them, and `tool_calls` without a call is a plain
 * end of turn. Unknown reasons from third-party hosts
 * (`insufficient_system_resource`, `network_error`…) become `end_turn` rather than failing a finished answer.
 *
 * @example openaiChatStopReasonToHub("stop", { sawToolUse: true }) === "tool_use"
 */
export function openaiChatStopReasonToHub(
  reason: string | null | undefined,
  context: OpenaiChatStopContext,
): StopReason {
  switch (reason) {
    case "length":
    case "model_context_window_exceeded":
      // A tool call cut off by the limit stays max_tokens: its arguments are incomplete JSON.
      return "max_tokens";
    case "content_filter":
    case "sensitive":
      return "refusal";
    case "tool_calls":
    case "function_call":
    default:
      // `tool_calls` with no call emitted would leave Claude Code waiting for a tool that never comes.
      return context.sawToolUse ? "tool_use" : "end_turn";
  }
}
