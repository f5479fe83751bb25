/** Gemini finishReason → Anthropic stop_reason. */
import type { StopReason } from "../../hub/schema.ts";

export interface GeminiStopContext {
  /** The response contained a functionCall part: Gemini still says STOP for those. */
  sawFunctionCall: boolean;
}

const refusals = new Set([
  "SAFETY",
  "RECITATION",
  "LANGUAGE",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

/** @example geminiStopReasonToHub("STOP", { sawFunctionCall: true }) === "tool_use" */
export function geminiStopReasonToHub(
  reason: string | null | undefined,
  context: GeminiStopContext,
): StopReason {
  if (reason === "MAX_TOKENS") return "max_tokens";
  if (reason && refusals.has(reason)) return "refusal";
  return context.sawFunctionCall ? "tool_use" : "end_turn";
}
