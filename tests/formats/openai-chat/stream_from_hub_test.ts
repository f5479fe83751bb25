import assert from "node:assert/strict";
import { openaiChatResponseFromHub } from "../../../lib/formats/openai-chat/response_from_hub.ts";
import { openaiChatStreamFromHub } from "../../../lib/formats/openai-chat/stream_from_hub.ts";
import { collectMessage } from "../../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../../lib/hub/stream_builder.ts";

/** A turn with reasoning, text and two parallel tool calls whose fragments interleave. */
function parallelTurn(): HubStreamBuilder {
  const builder = new HubStreamBuilder({ messageId: "msg_abc", model: "client-model" });
  builder.start({ input_tokens: 10, cache_read_input_tokens: 90 });
  builder.thinking("Think");
  builder.signature("ocb1.openai-chat.");
  builder.text("Hi");
  const first = builder.toolStart("call_1", "weather");
  builder.toolArguments(first, '{"city":');
  const second = builder.toolStart("call_2", "time");
  builder.toolArguments(second, "{}");
  builder.toolArguments(first, '"Paris"}');
  builder.finish("tool_use", { output_tokens: 7 });
  return builder;
}

function frames(text: string): unknown[] {
  return text.split("\n\n").filter((frame) => frame.startsWith("data: ")).map((frame) => {
    const data = frame.slice(6);
    return data === "[DONE]" ? data : JSON.parse(data);
  });
}

Deno.test("openaiChatStreamFromHub writes role, reasoning, text and tool calls by index", () => {
  const writer = openaiChatStreamFromHub({ includeUsage: true });
  const out = frames(writer.write(parallelTurn().sink));
  const deltas = out.filter((frame) => frame !== "[DONE]").map((frame) =>
    (frame as { choices: { delta: unknown; finish_reason: unknown }[] }).choices[0]
  );
  assert.deepEqual(deltas.slice(0, 3).map((choice) => choice.delta), [
    { role: "assistant", content: "" },
    { reasoning_content: "Think" },
    { content: "Hi" },
  ]);
  assert.deepEqual(deltas[3].delta, {
    tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "weather", arguments: "" } }],
  });
  // The builder holds call_2 until call_1's JSON is complete (see HubStreamBuilder), so the calls arrive in turn.
  assert.deepEqual(deltas.slice(4, 8).map((choice) => choice.delta), [
    { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
    { tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "time", arguments: "" } }] },
    { tool_calls: [{ index: 1, function: { arguments: "{}" } }] },
  ]);
  assert.equal(deltas[8].finish_reason, "tool_calls");
  const usageChunk = out.at(-2) as { id: string; model: string; choices: unknown[]; usage: unknown };
  assert.deepEqual(usageChunk.choices, []);
  assert.equal(usageChunk.id, "chatcmpl-abc");
  assert.equal(usageChunk.model, "client-model");
  assert.deepEqual(usageChunk.usage, {
    prompt_tokens: 100,
    completion_tokens: 7,
    total_tokens: 107,
    prompt_tokens_details: { cached_tokens: 90 },
  });
  assert.equal(out.at(-1), "[DONE]");
});

Deno.test("openaiChatStreamFromHub leaves out the usage chunk unless asked", () => {
  const text = openaiChatStreamFromHub({ includeUsage: false }).write(parallelTurn().sink);
  assert.ok(!text.includes('"usage"'));
  assert.ok(text.endsWith("data: [DONE]\n\n"));
});

Deno.test("openaiChatStreamFromHub maps stop reasons to finish_reason", async (t) => {
  const cases = [
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["refusal", "content_filter"],
    ["pause_turn", "stop"],
  ] as const;
  for (const [reason, expected] of cases) {
    await t.step(reason, () => {
      const builder = new HubStreamBuilder({ messageId: "msg_1", model: "m" });
      builder.text("x");
      builder.finish(reason);
      const out = frames(openaiChatStreamFromHub({ includeUsage: false }).write(builder.sink));
      const last = out.at(-2) as { choices: { finish_reason: string }[] };
      assert.equal(last.choices[0].finish_reason, expected);
    });
  }
});

Deno.test("openaiChatStreamFromHub reports a mid-stream failure as an error frame without [DONE]", () => {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "m" });
  builder.text("partial");
  builder.fail("overloaded_error", "Upstream overloaded");
  const text = openaiChatStreamFromHub({ includeUsage: true }).write(builder.sink);
  const last = frames(text).at(-1);
  assert.deepEqual(last, {
    error: { message: "Upstream overloaded", type: "server_error", code: "overloaded_error", param: null },
  });
  assert.ok(!text.includes("[DONE]"));
});

Deno.test("openaiChatResponseFromHub renders a collected turn as chat.completion", () => {
  const completion = openaiChatResponseFromHub(collectMessage(parallelTurn().sink), 123) as {
    choices: { message: Record<string, unknown>; finish_reason: string }[];
  };
  assert.deepEqual(completion.choices[0].message, {
    role: "assistant",
    content: "Hi",
    refusal: null,
    reasoning_content: "Think",
    tool_calls: [
      { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
      { id: "call_2", type: "function", function: { name: "time", arguments: "{}" } },
    ],
  });
  assert.equal(completion.choices[0].finish_reason, "tool_calls");
});
