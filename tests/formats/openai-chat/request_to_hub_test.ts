import assert from "node:assert/strict";
import type { GatewayError } from "../../../lib/errors/gateway_error.ts";
import { parseOpenaiChatRequest } from "../../../lib/formats/openai-chat/client.ts";
import { openaiChatRequestToHub } from "../../../lib/formats/openai-chat/request_to_hub.ts";
import { decodeSignature } from "../../../lib/hub/signature.ts";
import { OPENAI_CHAT_SIGNATURE } from "../../../lib/formats/openai/chat_signature.ts";

const toHub = (json: Record<string, unknown>) =>
  openaiChatRequestToHub(parseOpenaiChatRequest({ model: "m", ...json }), { defaultMaxTokens: 4096 });

Deno.test("openaiChatRequestToHub moves leading system and developer messages to system", () => {
  const hub = toHub({
    messages: [
      { role: "system", content: "Be brief." },
      { role: "developer", content: [{ type: "text", text: "Use tools." }] },
      { role: "user", content: "hi" },
      { role: "system", content: "Later note" },
    ],
  });
  assert.equal(hub.system, "Be brief.\n\nUse tools.");
  assert.deepEqual(hub.messages, [
    { role: "user", content: [{ type: "text", text: "hi" }] },
    { role: "system", content: [{ type: "text", text: "Later note" }] },
  ]);
  assert.equal(hub.max_tokens, 4096);
});

Deno.test("openaiChatRequestToHub converts images, data URLs and PDF files", () => {
  const hub = toHub({
    messages: [{
      role: "user",
      content: [
        { type: "text", text: "look" },
        { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
        { type: "image_url", image_url: { url: "https://example.com/a.jpg", detail: "high" } },
        { type: "file", file: { file_data: "data:application/pdf;base64,JVBE", filename: "a.pdf" } },
      ],
    }],
  });
  assert.deepEqual(hub.messages[0].content, [
    { type: "text", text: "look" },
    { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
    { type: "image", source: { type: "url", url: "https://example.com/a.jpg" } },
    {
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: "JVBE" },
      title: "a.pdf",
    },
  ]);
});

Deno.test("openaiChatRequestToHub turns a tool round trip into tool_use and one tool_result turn", () => {
  const hub = toHub({
    messages: [
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: null,
        reasoning_content: "Two cities.",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          { id: "call_2", type: "function", function: { name: "weather", arguments: "not json" } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "rain" }] },
      { role: "user", content: "thanks" },
    ],
  });
  assert.equal(hub.messages.length, 3);
  assert.deepEqual(hub.messages[1], {
    role: "assistant",
    content: [
      { type: "thinking", thinking: "Two cities.", signature: OPENAI_CHAT_SIGNATURE },
      { type: "tool_use", id: "call_1", name: "weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_2", name: "weather", input: { _raw_arguments: "not json" } },
    ],
  });
  assert.deepEqual(hub.messages[2], {
    role: "user",
    content: [
      { type: "tool_result", tool_use_id: "call_1", content: "sunny" },
      { type: "tool_result", tool_use_id: "call_2", content: "rain" },
      { type: "text", text: "thanks" },
    ],
  });
  assert.equal(decodeSignature(OPENAI_CHAT_SIGNATURE)?.provider, "openai-chat");
});

Deno.test("openaiChatRequestToHub maps tools, tool_choice, parallel_tool_calls, stop and sampling", async (t) => {
  const tools = [{
    type: "function",
    function: { name: "f", description: "d", parameters: { type: "object" } },
  }];
  const cases: { name: string; input: Record<string, unknown>; expected: unknown }[] = [
    { name: "auto", input: { tool_choice: "auto" }, expected: undefined },
    { name: "required", input: { tool_choice: "required" }, expected: { type: "any" } },
    { name: "none", input: { tool_choice: "none" }, expected: { type: "none" } },
    {
      name: "named",
      input: { tool_choice: { type: "function", function: { name: "f" } } },
      expected: { type: "tool", name: "f" },
    },
    {
      name: "serial",
      input: { parallel_tool_calls: false },
      expected: { type: "auto", disable_parallel_tool_use: true },
    },
  ];
  for (const { name, input, expected } of cases) {
    await t.step(name, () => {
      const hub = toHub({ messages: [{ role: "user", content: "x" }], tools, ...input });
      assert.deepEqual(hub.tool_choice, expected);
      assert.deepEqual(hub.tools, [{ name: "f", description: "d", input_schema: { type: "object" } }]);
    });
  }
  const hub = toHub({
    messages: [{ role: "user", content: "x" }],
    stop: "END",
    temperature: 0.2,
    top_p: 0.9,
    max_tokens: 50,
    max_completion_tokens: 70,
  });
  assert.deepEqual(hub.stop_sequences, ["END"]);
  assert.equal(hub.temperature, 0.2);
  assert.equal(hub.top_p, 0.9);
  assert.equal(hub.max_tokens, 70);
});

Deno.test("openaiChatRequestToHub maps reasoning_effort to thinking", async (t) => {
  const cases = [
    { effort: "none", max: 4096, expected: { thinking: { type: "disabled" }, output_config: undefined } },
    {
      effort: "high",
      max: 32000,
      expected: { thinking: { type: "enabled", budget_tokens: 16384 }, output_config: { effort: "high" } },
    },
    {
      effort: "max",
      max: 4096,
      expected: { thinking: { type: "enabled", budget_tokens: 4095 }, output_config: { effort: "max" } },
    },
  ];
  for (const { effort, max, expected } of cases) {
    await t.step(effort, () => {
      const hub = toHub({
        messages: [{ role: "user", content: "x" }],
        reasoning_effort: effort,
        max_tokens: max,
      });
      assert.deepEqual({ thinking: hub.thinking, output_config: hub.output_config }, expected);
    });
  }
});

Deno.test("openaiChatRequestToHub keeps JSON response formats as an instruction", () => {
  const hub = toHub({
    messages: [{ role: "user", content: "x" }],
    response_format: { type: "json_schema", json_schema: { name: "s", schema: { type: "object" } } },
  });
  assert.match(String(hub.system), /JSON Schema/);
});

Deno.test("parseOpenaiChatRequest names the offending field in its 400", () => {
  assert.throws(
    () => parseOpenaiChatRequest({ model: "m", messages: [{ role: "user", content: 5 }] }),
    (error: GatewayError) => error.status === 400 && error.message.startsWith("messages.0"),
  );
  assert.throws(
    () => toHub({ messages: [{ role: "user", content: "x" }], n: 2 }),
    (error: GatewayError) => error.param === "n",
  );
});
