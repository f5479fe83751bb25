import assert from "node:assert/strict";
import { type HubEvent, hubEventSchema } from "../../../lib/hub/schema.ts";
import { openaiChatStreamToHub } from "../../../lib/formats/openai-chat/stream_to_hub.ts";
import { collectMessage } from "../../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../../lib/hub/stream_builder.ts";
import { OPENAI_CHAT_SIGNATURE } from "../../../lib/formats/openai/chat_signature.ts";

const raw = new Uint8Array();
const DONE = "[DONE]";

/** Feeds data payloads (objects are JSON-encoded) and, unless `open`, the end of the body, as the relay does. */
function translate(
  frames: (unknown | [event: string, data: string])[],
  options: { closed?: boolean } = {},
): HubEvent[] {
  const builder = new HubStreamBuilder({ messageId: "msg_test", model: "kimi-k2.6" });
  const toHub = openaiChatStreamToHub(builder);
  for (const frame of frames) {
    if (builder.finished) break;
    if (Array.isArray(frame)) toHub.push({ event: frame[0], data: frame[1], raw });
    else {toHub.push({
        event: "message",
        data: typeof frame === "string" ? frame : JSON.stringify(frame),
        raw,
      });}
  }
  if (options.closed !== false) {
    toHub.end?.();
    builder.end();
  }
  for (const event of builder.sink) hubEventSchema.parse(event);
  return builder.sink;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta, finish_reason: finish }],
  usage: null,
});
const usageChunk = (usage: Record<string, unknown>) => ({ id: "chatcmpl-1", choices: [], usage });

const start = {
  type: "message_start",
  message: {
    id: "msg_test",
    type: "message",
    role: "assistant",
    model: "kimi-k2.6",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: 0 },
  },
};
const blockStart = (index: number, content_block: unknown) => ({
  type: "content_block_start",
  index,
  content_block,
});
const delta = (index: number, value: unknown) => ({ type: "content_block_delta", index, delta: value });
const stop = (index: number) => ({ type: "content_block_stop", index });
const thinkingStart = (index: number) => blockStart(index, { type: "thinking", thinking: "", signature: "" });
const sign = (index: number) => delta(index, { type: "signature_delta", signature: OPENAI_CHAT_SIGNATURE });
const end = (stop_reason: string, usage: Record<string, unknown>) => [
  { type: "message_delta", delta: { stop_reason, stop_sequence: null }, usage },
  { type: "message_stop" },
];

Deno.test("stream_to_hub: reasoning, text and usage after the finish chunk, exact grammar", () => {
  const events = translate([
    chunk({ role: "assistant", content: "" }),
    chunk({ reasoning_content: "Let me " }),
    chunk({ reasoning_content: "think." }),
    chunk({ content: "Hi " }),
    chunk({ content: "🌍你好" }),
    chunk({}, "stop"),
    usageChunk({ prompt_tokens: 100, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 40 } }),
    DONE,
    { choices: [], cost: "0.001" },
  ]);
  assert.deepEqual(events, [
    start,
    thinkingStart(0),
    delta(0, { type: "thinking_delta", thinking: "Let me " }),
    delta(0, { type: "thinking_delta", thinking: "think." }),
    sign(0),
    stop(0),
    blockStart(1, { type: "text", text: "" }),
    delta(1, { type: "text_delta", text: "Hi " }),
    delta(1, { type: "text_delta", text: "🌍你好" }),
    stop(1),
    ...end("end_turn", { input_tokens: 60, output_tokens: 9, cache_read_input_tokens: 40 }),
  ]);
});

// Regression: with interleaved fragments the gateway once sent a delta for an already-stopped block; the real
// Claude Code CLI ignores those, so it ran only one of two parallel calls (tests/e2e/claude_code_parallel_tools_test.ts).
Deno.test("stream_to_hub: interleaved parallel tool calls stay apart, each block complete before its stop", () => {
  const events = translate([
    chunk({ role: "assistant", content: null }),
    chunk({
      tool_calls: [{
        index: 0,
        id: "functions.Read:0",
        type: "function",
        function: { name: "Read", arguments: "" },
      }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
    chunk({
      tool_calls: [{
        index: 1,
        id: "functions.Read:1",
        type: "function",
        function: { name: "Read", arguments: '{"pa' },
      }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"a"}' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: 'th":"b"}' } }] }),
    chunk({}, "tool_calls"),
    usageChunk({ prompt_tokens: 10, completion_tokens: 3, cached_tokens: 4 }),
    DONE,
  ]);
  assert.deepEqual(events, [
    start,
    blockStart(0, { type: "tool_use", id: "functions.Read:0", name: "Read", input: {} }),
    delta(0, { type: "input_json_delta", partial_json: '{"path":' }),
    delta(0, { type: "input_json_delta", partial_json: '"a"}' }),
    stop(0),
    // Held back while call 0 was incomplete; opened once call 0's JSON closed, then streamed live.
    blockStart(1, { type: "tool_use", id: "functions.Read:1", name: "Read", input: {} }),
    delta(1, { type: "input_json_delta", partial_json: '{"pa' }),
    delta(1, { type: "input_json_delta", partial_json: 'th":"b"}' }),
    stop(1),
    ...end("tool_use", { input_tokens: 6, output_tokens: 3, cache_read_input_tokens: 4 }),
  ]);
  const message = collectMessage(events);
  assert.deepEqual(message.content, [
    { type: "tool_use", id: "functions.Read:0", name: "Read", input: { path: "a" } },
    { type: "tool_use", id: "functions.Read:1", name: "Read", input: { path: "b" } },
  ]);
});

Deno.test("stream_to_hub: sequential parallel calls stream live, and a call still incomplete holds the next", () => {
  const events = translate([
    chunk({ tool_calls: [{ index: 0, id: "c0", function: { name: "Read", arguments: '{"path":"a"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: "c1", function: { name: "Read", arguments: '{"path":' } }] }),
    chunk({ tool_calls: [{ index: 2, id: "c2", function: { name: "Read", arguments: '{"path":"c"}' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: '"b"}' } }] }),
    chunk({}, "tool_calls"),
    DONE,
  ]);
  assert.deepEqual(events, [
    start,
    blockStart(0, { type: "tool_use", id: "c0", name: "Read", input: {} }),
    delta(0, { type: "input_json_delta", partial_json: '{"path":"a"}' }),
    stop(0),
    blockStart(1, { type: "tool_use", id: "c1", name: "Read", input: {} }),
    delta(1, { type: "input_json_delta", partial_json: '{"path":' }),
    delta(1, { type: "input_json_delta", partial_json: '"b"}' }),
    stop(1),
    blockStart(2, { type: "tool_use", id: "c2", name: "Read", input: {} }),
    delta(2, { type: "input_json_delta", partial_json: '{"path":"c"}' }),
    stop(2),
    ...end("tool_use", { input_tokens: 0, output_tokens: 0 }),
  ]);
});

Deno.test("stream_to_hub: thinking is signed before a tool call, text before tools, `stop` after tools is tool_use", () => {
  const events = translate([
    chunk({ reasoning: "plan" }),
    chunk({ content: "Writing." }),
    chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "Write", arguments: "{}" } }] }),
    chunk({}, "stop"),
    DONE,
  ]);
  assert.deepEqual(events, [
    start,
    thinkingStart(0),
    delta(0, { type: "thinking_delta", thinking: "plan" }),
    sign(0),
    stop(0),
    blockStart(1, { type: "text", text: "" }),
    delta(1, { type: "text_delta", text: "Writing." }),
    stop(1),
    blockStart(2, { type: "tool_use", id: "call_1", name: "Write", input: {} }),
    delta(2, { type: "input_json_delta", partial_json: "{}" }),
    stop(2),
    ...end("tool_use", { input_tokens: 0, output_tokens: 0 }),
  ]);
});

Deno.test("stream_to_hub: a tool name that arrives late keeps the earlier arguments; missing id is minted", () => {
  const events = translate([
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { name: "Grep", arguments: "1}" } }] }),
    chunk({}, "tool_calls"),
    DONE,
  ]);
  const started = events[1] as { content_block: { id: string; name: string } };
  assert.equal(started.content_block.name, "Grep");
  assert.match(started.content_block.id, /^toolu_bridge_0_/);
  assert.deepEqual(collectMessage(events).content, [
    { type: "tool_use", id: started.content_block.id, name: "Grep", input: { a: 1 } },
  ]);
});

Deno.test("stream_to_hub: <think> tags in content split across chunks become a signed thinking block", () => {
  const events = translate([
    chunk({ content: "<thi" }),
    chunk({ content: "nk>Plan: 🤔" }),
    chunk({ content: " go</th" }),
    chunk({ content: "ink>\n\nDone ✓" }),
    chunk({}, "stop"),
    DONE,
  ]);
  const message = collectMessage(events);
  assert.deepEqual(message.content, [
    { type: "thinking", thinking: "Plan: 🤔 go", signature: OPENAI_CHAT_SIGNATURE },
    { type: "text", text: "Done ✓" },
  ]);
});

Deno.test("stream_to_hub: reasoning_details text is thinking, and duplicated `reasoning` is read once", () => {
  const events = translate([
    chunk({
      reasoning_details: [{ type: "reasoning.text", text: "a" }, { type: "reasoning.text", text: "b" }],
    }),
    chunk({ reasoning: "c", reasoning_details: [{ type: "reasoning.text", text: "c" }] }),
    chunk({ content: "x" }, "stop"),
    DONE,
  ]);
  assert.deepEqual(collectMessage(events).content, [
    { type: "thinking", thinking: "abc", signature: OPENAI_CHAT_SIGNATURE },
    { type: "text", text: "x" },
  ]);
});

Deno.test("stream_to_hub: a thinking-only answer still gets its signature and ends cleanly", () => {
  const events = translate([chunk({ reasoning_content: "hmm" }, "length"), DONE]);
  assert.deepEqual(events, [
    start,
    thinkingStart(0),
    delta(0, { type: "thinking_delta", thinking: "hmm" }),
    sign(0),
    stop(0),
    ...end("max_tokens", { input_tokens: 0, output_tokens: 0 }),
  ]);
});

Deno.test("stream_to_hub: finish and usage in the same chunk, body closes without [DONE]", () => {
  const events = translate([
    chunk({ content: "ok" }),
    {
      choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 1 },
    },
  ]);
  assert.deepEqual(
    events.slice(-2),
    end("end_turn", { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 0 }),
  );
});

Deno.test("stream_to_hub: DeepSeek cache hits and content_filter → refusal", () => {
  const events = translate([
    chunk({ content: "no" }, "content_filter"),
    usageChunk({
      prompt_tokens: 50,
      completion_tokens: 1,
      prompt_cache_hit_tokens: 32,
      prompt_cache_miss_tokens: 18,
    }),
    DONE,
  ]);
  assert.deepEqual(
    events.slice(-2),
    end("refusal", { input_tokens: 18, output_tokens: 1, cache_read_input_tokens: 32 }),
  );
});

Deno.test("stream_to_hub: a stream cut before any finish is an error, never a clean end_turn", () => {
  const events = translate([chunk({ content: "partial" })]);
  assert.deepEqual(events.at(-1), {
    type: "error",
    error: { type: "api_error", message: "Upstream stream ended before completion" },
  });
  assert.ok(!events.some((event) => event.type === "message_stop"));
});

Deno.test("stream_to_hub: an empty stream and a bare [DONE] are errors", () => {
  for (const frames of [[], [DONE]]) {
    const events = translate(frames);
    assert.deepEqual(events, [{
      type: "error",
      error: { type: "api_error", message: "Upstream returned an empty stream" },
    }]);
  }
});

Deno.test("stream_to_hub: an error chunk mid-stream fails with the mapped kind", () => {
  const cases: [unknown, string, RegExp][] = [
    [
      { error: { message: "Rate limit reached", type: "rate_limit_error" } },
      "rate_limit_error",
      /Rate limit/,
    ],
    [{ error: { message: "busy", code: 503 } }, "overloaded_error", /busy/],
    [
      {
        error: {
          message: "This model's maximum context length is 8192 tokens",
          type: "invalid_request_error",
        },
      },
      "invalid_request_error",
      /^prompt is too long: /,
    ],
    [
      { error: { message: "quota", type: "GoUsageLimitError" } },
      "rate_limit_error",
      /^OpenCode Go .*usage limit reached/,
    ],
    [{ error: "plain words" }, "api_error", /plain words/],
  ];
  for (const [frame, kind, message] of cases) {
    const events = translate([chunk({ content: "a" }), frame, DONE]);
    const last = events.at(-1) as { type: string; error: { type: string; message: string } };
    assert.equal(last.type, "error");
    assert.equal(last.error.type, kind);
    assert.match(last.error.message, message);
  }
});

Deno.test("stream_to_hub: an SSE event named error fails the stream", () => {
  const events = translate([chunk({ content: "a" }), [
    "error",
    '{"message":"upstream exploded","type":"server_error"}',
  ]]);
  assert.deepEqual(events.at(-1), {
    type: "error",
    error: { type: "api_error", message: "upstream exploded" },
  });
});

Deno.test("stream_to_hub: malformed JSON and schema-invalid chunks fail instead of throwing", () => {
  const bad = translate([chunk({ content: "a" }), "{not json"]);
  assert.deepEqual(bad.at(-1), {
    type: "error",
    error: { type: "api_error", message: "Malformed upstream event: {not json" },
  });
  const invalid = translate([{ choices: [{ index: 0, delta: { content: 42 } }] }]);
  const last = invalid.at(-1) as { type: string; error: { message: string } };
  assert.equal(last.type, "error");
  assert.match(last.error.message, /choices\.0\.delta\.content/);
});

Deno.test("stream_to_hub: frames after [DONE] are ignored, and a second choice never leaks in", () => {
  const events = translate([
    chunk({ content: "one" }),
    { choices: [{ index: 1, delta: { content: "other" }, finish_reason: null }] },
    chunk({}, "stop"),
    DONE,
    chunk({ content: "late" }),
    { choices: [], cost: "0.001" },
  ]);
  assert.deepEqual(collectMessage(events).content, [{ type: "text", text: "one" }]);
  assert.equal(events.at(-1)?.type, "message_stop");
});

Deno.test("stream_to_hub: usage repeated on every chunk keeps the last value", () => {
  const events = translate([
    { choices: [{ index: 0, delta: { content: "a" } }], usage: { prompt_tokens: 5, completion_tokens: 1 } },
    {
      choices: [{ index: 0, delta: { content: "b" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 2 },
    },
    DONE,
  ]);
  assert.deepEqual(
    events.slice(-2),
    end("end_turn", { input_tokens: 5, output_tokens: 2, cache_read_input_tokens: 0 }),
  );
});

Deno.test("stream_to_hub: concurrent streams do not share state", () => {
  const first = new HubStreamBuilder({ messageId: "a", model: "m" });
  const second = new HubStreamBuilder({ messageId: "b", model: "m" });
  const one = openaiChatStreamToHub(first);
  const two = openaiChatStreamToHub(second);
  one.push({ event: "message", data: JSON.stringify(chunk({ content: "<think>x" })), raw });
  two.push({ event: "message", data: JSON.stringify(chunk({ content: "plain" })), raw });
  one.push({ event: "message", data: JSON.stringify(chunk({}, "stop")), raw });
  two.push({ event: "message", data: JSON.stringify(chunk({}, "stop")), raw });
  one.push({ event: "message", data: DONE, raw });
  two.push({ event: "message", data: DONE, raw });
  assert.deepEqual(collectMessage(first.sink).content, [{
    type: "thinking",
    thinking: "x",
    signature: OPENAI_CHAT_SIGNATURE,
  }]);
  assert.deepEqual(collectMessage(second.sink).content, [{ type: "text", text: "plain" }]);
});

Deno.test("stream_to_hub: [DONE] after content but without a finish reason ends the turn as the upstream said", () => {
  const events = translate([chunk({ content: "all here" }), DONE]);
  assert.deepEqual(events.slice(-2), end("end_turn", { input_tokens: 0, output_tokens: 0 }));
});
