/** Responses terminal status → Anthropic stop_reason (the Responses API has no finish_reason of its own). */
import type { StopReason } from "../../hub/schema.ts";

export interface OpenaiResponsesStopContext {
  /** The stream produced at least one function_call item. */
  sawToolCall: boolean;
  /** The model answered with a refusal part. */
  sawRefusal: boolean;
}

/**
 * @example
 * openaiResponsesStopReasonToHub("incomplete", "max_output_tokens", { sawToolCall: false, sawRefusal: false }) === "max_tokens"
 */
export function openaiResponsesStopReasonToHub(
  status: string | null | undefined,
  incompleteReason: string | null | undefined,
  context: OpenaiResponsesStopContext,
): StopReason {
  if (status === "incomplete") {
    if (incompleteReason === "content_filter") return "refusal";
    return "max_tokens";
  }
  if (context.sawRefusal) return "refusal";
  if (context.sawToolCall) return "tool_use";
  return "end_turn";
}
