import assert from "node:assert/strict";
import { openaiResponsesUsageToHub } from "../../../lib/formats/openai-responses/convert_usage.ts";

Deno.test("openaiResponsesUsageToHub splits cached and cache-write tokens out of input", async (t) => {
  const cases = [
    { name: "missing", usage: null, expected: {} },
    {
      name: "no details",
      usage: { input_tokens: 10, output_tokens: 5 },
      expected: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0 },
    },
    {
      name: "cached and reasoning",
      usage: {
        input_tokens: 1200,
        input_tokens_details: { cached_tokens: 1000 },
        output_tokens: 300,
        output_tokens_details: { reasoning_tokens: 250 },
      },
      expected: { input_tokens: 200, output_tokens: 300, cache_read_input_tokens: 1000 },
    },
    {
      name: "cache writes",
      usage: {
        input_tokens: 500,
        input_tokens_details: { cached_tokens: 100, cache_write_tokens: 300 },
        output_tokens: 1,
      },
      expected: {
        input_tokens: 100,
        output_tokens: 1,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 300,
      },
    },
  ];
  for (const { name, usage, expected } of cases) {
    await t.step(name, () => assert.deepEqual(openaiResponsesUsageToHub(usage), expected));
  }
});
