import assert from "node:assert/strict";
import type { HubMessage } from "../../lib/hub/schema.ts";
import { collectTokenParts, countRequestTokens, tokenUpperBound } from "../../lib/tokens/count_tokens.ts";
import { loadTokenizer } from "../../lib/tokens/tokenizer.ts";
import { pngBase64 } from "./image_fixtures.ts";

Deno.test("loadTokenizer counts o200k_base tokens", async (t) => {
  const count = await loadTokenizer();
  // Reference encodings: "Hello, world!" = [13225, 11, 2375, 0]; "hello world" = [24912, 2375].
  const known: [string, number][] = [
    ["Hello, world!", 4],
    ["hello world", 2],
    ["tiktoken is great!", 6],
    ["你好，世界", 3],
    ["", 0],
    // Special-token text in a prompt is ordinary text, not an error.
    ["<|endoftext|>", 7],
  ];
  for (const [text, tokens] of known) {
    await t.step(JSON.stringify(text), () => assert.equal(count(text), tokens));
  }
});

const tool = {
  name: "get_weather",
  description: "Get the current weather for a city.",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

Deno.test("countRequestTokens counts system, messages, tool calls and tools", async (t) => {
  const conversation: HubMessage[] = [
    { role: "user", content: "Hello, world!" },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "The user wants the weather.", signature: "sig" },
        { type: "text", text: "Let me check the weather." },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
      ],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Sunny, 24°C" }] },
  ];
  const cases = [
    // 3 per request + 4 per message + text.
    {
      name: "one message",
      request: { messages: [{ role: "user" as const, content: "Hello, world!" }] },
      tokens: 3 + 4 + 4,
    },
    {
      name: "system as string",
      request: { system: "You are a helpful assistant.", messages: [] },
      tokens: 3 + 6,
    },
    {
      name: "system as blocks",
      request: { system: [{ text: "You are a helpful assistant." }, { text: "hello world" }], messages: [] },
      tokens: 3 + 6 + 2,
    },
    // 8 per tool + name 2 + description 8 + schema JSON 19.
    { name: "one tool", request: { messages: [], tools: [tool] }, tokens: 3 + 8 + 2 + 8 + 19 },
    {
      name: "tool-use conversation",
      request: { messages: conversation },
      // messages 3×4; "Hello, world!" 4; thinking 6; text 6; tool_use 3 + name 2 + input 5; tool_result 3 + 5.
      tokens: 3 + 12 + 4 + 6 + 6 + (3 + 2 + 5) + (3 + 5),
    },
  ];
  for (const { name, request, tokens } of cases) {
    await t.step(name, async () => assert.equal(await countRequestTokens(request), tokens));
  }
});

Deno.test("countRequestTokens counts images by size and documents by page", async () => {
  const image = {
    type: "image" as const,
    source: { type: "base64" as const, media_type: "image/png", data: pngBase64(1000, 500) },
  };
  const inResult = { type: "tool_result" as const, tool_use_id: "t", content: [image] };
  const pdf = btoa(
    "%PDF-1.4\n1 0 obj << /Type /Pages >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type /Page >>\n",
  );
  const document = {
    type: "document" as const,
    source: { type: "base64", media_type: "application/pdf", data: pdf },
  };
  const tokens = await countRequestTokens({
    messages: [{ role: "user", content: [image, inResult, document] }],
  });
  assert.equal(tokens, 3 + 4 + 667 + (3 + 667) + 2 * 1500);
});

Deno.test("tokenUpperBound never undercounts the tokenizer", async () => {
  const request = {
    system: "Système: réponds en français. 你好",
    messages: [{ role: "user" as const, content: "def f(x):\n    return x * 2  # ünïcödé 🙂" }],
    tools: [tool],
  };
  assert.ok(tokenUpperBound(request) >= await countRequestTokens(request));
  assert.equal(collectTokenParts(request).texts.length, 5);
});
