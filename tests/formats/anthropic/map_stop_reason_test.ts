import assert from "node:assert/strict";
import { anthropicStopReasonToHub } from "../../../lib/formats/anthropic/map_stop_reason.ts";

Deno.test("anthropicStopReasonToHub narrows to the hub's reasons", async (t) => {
  const cases: [reason: string | null | undefined, sawToolUse: boolean, expected: string][] = [
    ["end_turn", false, "end_turn"],
    ["tool_use", true, "tool_use"],
    ["max_tokens", false, "max_tokens"],
    ["stop_sequence", false, "stop_sequence"],
    ["pause_turn", false, "pause_turn"],
    ["refusal", false, "refusal"],
    ["model_context_window_exceeded", false, "max_tokens"],
    [null, true, "tool_use"],
    [undefined, false, "end_turn"],
    ["brand_new_reason", false, "end_turn"],
  ];
  for (const [reason, sawToolUse, expected] of cases) {
    await t.step(`${reason} (tools: ${sawToolUse}) → ${expected}`, () => {
      assert.equal(anthropicStopReasonToHub(reason, { sawToolUse }), expected);
    });
  }
});
