import assert from "node:assert/strict";
import { geminiStopReasonToHub } from "../../../lib/formats/gemini/map_stop_reason.ts";

Deno.test("geminiStopReasonToHub covers every finishReason", async (t) => {
  const cases: [string | null, boolean, string][] = [
    ["STOP", false, "end_turn"],
    ["STOP", true, "tool_use"],
    ["MAX_TOKENS", false, "max_tokens"],
    ["MAX_TOKENS", true, "max_tokens"],
    ["SAFETY", false, "refusal"],
    ["RECITATION", false, "refusal"],
    ["LANGUAGE", false, "refusal"],
    ["BLOCKLIST", false, "refusal"],
    ["PROHIBITED_CONTENT", false, "refusal"],
    ["SPII", false, "refusal"],
    ["IMAGE_SAFETY", false, "refusal"],
    ["IMAGE_PROHIBITED_CONTENT", false, "refusal"],
    ["IMAGE_RECITATION", false, "refusal"],
    ["OTHER", false, "end_turn"],
    ["MALFORMED_FUNCTION_CALL", false, "end_turn"],
    ["UNEXPECTED_TOOL_CALL", true, "tool_use"],
    ["TOO_MANY_TOOL_CALLS", true, "tool_use"],
    ["FINISH_REASON_UNSPECIFIED", false, "end_turn"],
    ["SOMETHING_NEW", false, "end_turn"],
    [null, false, "end_turn"],
  ];
  for (const [reason, sawFunctionCall, expected] of cases) {
    await t.step(`${reason} (call: ${sawFunctionCall})`, () => {
      assert.equal(geminiStopReasonToHub(reason, { sawFunctionCall }), expected);
    });
  }
});
