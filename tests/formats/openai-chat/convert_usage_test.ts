import assert from "node:assert/strict";
import type { Usage } from "../../../lib/hub/schema.ts";
import { openaiChatUsageToHub } from "../../../lib/formats/openai-chat/convert_usage.ts";
import type { OpenaiChatUsage } from "../../../lib/formats/openai-chat/response_schema.ts";

const cases: [name: string, usage: OpenaiChatUsage | null | undefined, expected: Usage][] = [
  ["missing usage", undefined, { input_tokens: 0, output_tokens: 0 }],
  ["null usage", null, { input_tokens: 0, output_tokens: 0 }],
  [
    "no cache fields",
    { prompt_tokens: 120, completion_tokens: 30 },
    { input_tokens: 120, output_tokens: 30, cache_read_input_tokens: 0 },
  ],
  [
    "OpenAI prompt_tokens_details.cached_tokens",
    { prompt_tokens: 1000, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 800 } },
    { input_tokens: 200, output_tokens: 50, cache_read_input_tokens: 800 },
  ],
  [
    "Kimi top-level cached_tokens",
    { prompt_tokens: 1000, completion_tokens: 5, cached_tokens: 600 },
    { input_tokens: 400, output_tokens: 5, cache_read_input_tokens: 600 },
  ],
  [
    "DeepSeek prompt_cache_hit_tokens",
    { prompt_tokens: 1000, completion_tokens: 7, prompt_cache_hit_tokens: 900 },
    { input_tokens: 100, output_tokens: 7, cache_read_input_tokens: 900 },
  ],
  [
    "details null with Kimi field",
    { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: null, cached_tokens: 4 },
    { input_tokens: 6, output_tokens: 1, cache_read_input_tokens: 4 },
  ],
  [
    "cache writes split out",
    {
      prompt_tokens: 1000,
      completion_tokens: 1,
      prompt_tokens_details: { cached_tokens: 500, cache_write_tokens: 300 },
    },
    { input_tokens: 200, output_tokens: 1, cache_read_input_tokens: 500, cache_creation_input_tokens: 300 },
  ],
  [
    "cached larger than prompt is clamped",
    { prompt_tokens: 10, completion_tokens: 2, cached_tokens: 50 },
    { input_tokens: 0, output_tokens: 2, cache_read_input_tokens: 10 },
  ],
  [
    "nulls and negatives count as zero",
    { prompt_tokens: null, completion_tokens: -3, cached_tokens: null },
    { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 },
  ],
];

for (const [name, usage, expected] of cases) {
  Deno.test(`openaiChatUsageToHub: ${name}`, () => {
    assert.deepEqual(openaiChatUsageToHub(usage), expected);
  });
}
