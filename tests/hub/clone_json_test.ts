import assert from "node:assert/strict";
import { cloneJson } from "../../lib/hub/clone_json.ts";

Deno.test("cloneJson: a deep copy of JSON data that shares no object with the original, undefined kept", () => {
  const original = {
    id: "msg_1",
    content: [{ type: "text", text: "hi", citations: [{ url: "https://example.com" }] }],
    usage: { input_tokens: 3, output_tokens: null },
    stop_sequence: undefined,
  };
  const copy = cloneJson(original);
  assert.deepEqual(copy, original);
  assert.deepEqual(Object.keys(copy), Object.keys(original));
  assert.notEqual(copy.content, original.content);
  assert.notEqual(copy.content[0].citations[0], original.content[0].citations[0]);
  copy.usage.input_tokens = 9;
  copy.content[0].text += "!";
  assert.deepEqual(original.usage.input_tokens, 3);
  assert.deepEqual(original.content[0].text, "hi");
});
