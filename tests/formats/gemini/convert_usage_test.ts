import assert from "node:assert/strict";
import { geminiUsageToHub } from "../../../lib/formats/gemini/convert_usage.ts";

Deno.test("geminiUsageToHub splits cached tokens out and counts thoughts as output", async (t) => {
  const cases = [
    { name: "missing", usage: undefined, expected: {} },
    {
      name: "plain",
      usage: { promptTokenCount: 10, candidatesTokenCount: 4 },
      expected: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 0 },
    },
    {
      name: "cached, thoughts and tool-use prompt",
      usage: {
        promptTokenCount: 1000,
        cachedContentTokenCount: 800,
        candidatesTokenCount: 50,
        thoughtsTokenCount: 150,
        toolUsePromptTokenCount: 20,
      },
      expected: { input_tokens: 220, output_tokens: 200, cache_read_input_tokens: 800 },
    },
  ];
  for (const { name, usage, expected } of cases) {
    await t.step(name, () => assert.deepEqual(geminiUsageToHub(usage), expected));
  }
});
