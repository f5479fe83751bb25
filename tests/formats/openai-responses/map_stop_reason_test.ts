import assert from "node:assert/strict";
import { openaiResponsesStopReasonToHub } from "../../../lib/formats/openai-responses/map_stop_reason.ts";

Deno.test("openaiResponsesStopReasonToHub covers every terminal status", async (t) => {
  const none = { sawToolCall: false, sawRefusal: false };
  const cases = [
    { status: "completed", reason: null, context: none, expected: "end_turn" },
    { status: "completed", reason: null, context: { ...none, sawToolCall: true }, expected: "tool_use" },
    { status: "completed", reason: null, context: { ...none, sawRefusal: true }, expected: "refusal" },
    { status: "incomplete", reason: "max_output_tokens", context: none, expected: "max_tokens" },
    {
      status: "incomplete",
      reason: "max_output_tokens",
      context: { ...none, sawToolCall: true },
      expected: "max_tokens",
    },
    { status: "incomplete", reason: "content_filter", context: none, expected: "refusal" },
    { status: "incomplete", reason: undefined, context: none, expected: "max_tokens" },
    { status: "something_new", reason: null, context: none, expected: "end_turn" },
  ];
  for (const { status, reason, context, expected } of cases) {
    await t.step(`${status}/${reason}/${JSON.stringify(context)}`, () => {
      assert.equal(openaiResponsesStopReasonToHub(status, reason, context), expected);
    });
  }
});
