import assert from "node:assert/strict";
import { withUpstreamReasoning } from "../../../lib/formats/openai-responses/passthrough.ts";
import { encodeReasoningSignature } from "../../../lib/formats/openai-responses/reasoning_signature.ts";
import { encodeSignature } from "../../../lib/hub/signature.ts";

// Client saw: OpenAI rejecting `{"type":"reasoning","encrypted_content":"ocb1.openai-chat."}` in a pass-through
// request, the reasoning item a translated turn (kimi) had handed back.
Deno.test("withUpstreamReasoning restores this model's envelopes and drops every other one", () => {
  const own = encodeReasoningSignature(
    { id: "rs_1", encrypted_content: "gAAAAABown", summary: [{ text: "Mine." }] },
    "gpt-5.5",
  );
  const body = {
    model: "gpt-5.5",
    store: false,
    input: [
      { role: "user", content: "hi" },
      { type: "reasoning", id: "rs_kimi", summary: [], encrypted_content: "ocb1.openai-chat." },
      {
        type: "reasoning",
        id: "rs_gemini",
        summary: [],
        encrypted_content: encodeSignature({ provider: "gemini", payload: "{}" }),
      },
      {
        type: "reasoning",
        id: "rs_2",
        summary: [],
        encrypted_content: encodeReasoningSignature({}, "gpt-5.5"),
      },
      {
        type: "reasoning",
        id: "rs_gw",
        summary: [{ type: "summary_text", text: "x" }],
        encrypted_content: own,
      },
      { type: "reasoning", id: "rs_real", summary: [], encrypted_content: "gAAAAABreal" },
      { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
    ],
  };
  const sent = withUpstreamReasoning(body, "gpt-5.5");
  assert.deepEqual(sent, {
    model: "gpt-5.5",
    store: false,
    input: [
      { role: "user", content: "hi" },
      {
        type: "reasoning",
        id: "rs_1",
        encrypted_content: "gAAAAABown",
        summary: [{ type: "summary_text", text: "Mine." }],
      },
      { type: "reasoning", id: "rs_real", summary: [], encrypted_content: "gAAAAABreal" },
      { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
    ],
  });
  assert.equal(body.input.length, 7, "the client's body is not changed in place");
  // Another model cannot decrypt what gpt-5.5 minted.
  assert.equal(
    (withUpstreamReasoning(body, "gpt-5.4").input as unknown[]).filter((item) =>
      (item as { type?: string }).type === "reasoning"
    ).length,
    1,
  );
});

Deno.test("withUpstreamReasoning returns a body without envelopes as it is", () => {
  const body = {
    model: "gpt-5.5",
    input: [{ type: "reasoning", id: "rs_real", summary: [], encrypted_content: "gAAAAABreal" }],
  };
  assert.equal(withUpstreamReasoning(body, "gpt-5.5"), body);
  const text = { model: "gpt-5.5", input: "hi" };
  assert.equal(withUpstreamReasoning(text, "gpt-5.5"), text);
});
