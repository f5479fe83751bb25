/** An Anthropic-format upstream's `stop_reason` → the hub's, as a pure function of the reason and context. */
import { type StopReason, stopReasonSchema } from "../../hub/schema.ts";

export interface AnthropicStopContext {
  /** A tool_use block was emitted in this response. */
  sawToolUse: boolean;
}

/**
 * Anthropic's own reasons pass; MiniMax's `model_context_window_exceeded` is a length stop, and a reason the
 * hub does not know ends the turn (or asks for the tools it emitted) rather than failing a finished answer.
 */
export function anthropicStopReasonToHub(
  reason: string | null | undefined,
  context: AnthropicStopContext,
): StopReason {
  if (reason === "model_context_window_exceeded") return "max_tokens";
  const parsed = stopReasonSchema.safeParse(reason);
  if (parsed.success) return parsed.data;
  return context.sawToolUse ? "tool_use" : "end_turn";
}
