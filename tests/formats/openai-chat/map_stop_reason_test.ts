import assert from "node:assert/strict";
import { openaiChatStopReasonToHub } from "../../../lib/formats/openai-chat/map_stop_reason.ts";

const cases: [reason: string | null | undefined, sawToolUse: boolean, expected: string][] = [
  ["stop", false, "end_turn"],
  ["stop", true, "tool_use"], // Bifrost #6123: `stop` after tool calls
  ["length", false, "max_tokens"],
  ["length", true, "max_tokens"],
  ["model_context_window_exceeded", false, "max_tokens"],
  ["tool_calls", true, "tool_use"],
  ["tool_calls", false, "end_turn"],
  ["function_call", true, "tool_use"],
  ["content_filter", false, "refusal"],
  ["content_filter", true, "refusal"],
  ["sensitive", false, "refusal"],
  ["insufficient_system_resource", false, "end_turn"],
  ["something_new", true, "tool_use"],
  [null, false, "end_turn"],
  [undefined, true, "tool_use"],
];

for (const [reason, sawToolUse, expected] of cases) {
  Deno.test(`openaiChatStopReasonToHub maps ${reason} (sawToolUse ${sawToolUse}) to ${expected}`, () => {
    assert.equal(openaiChatStopReasonToHub(reason, { sawToolUse }), expected);
  });
}
