import assert from "node:assert/strict";
import { hubEventSchema } from "../../lib/hub/schema.ts";
import { collectMessage } from "../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../lib/hub/stream_builder.ts";
import { hubGrammarViolations } from "../support/check_hub_grammar.ts";

const identity = { messageId: "msg_1", model: "kimi-k2.6" };

Deno.test("HubStreamBuilder emits message_start first and blocks in order with increasing indices", () => {
  const builder = new HubStreamBuilder(identity);
  builder.thinking("let me think");
  builder.signature("sig");
  builder.text("Hello");
  builder.text(" world");
  const tool = builder.toolStart("call_1", "Write");
  builder.toolArguments(tool, '{"a":');
  builder.toolArguments(tool, "1}");
  builder.finish("tool_use", { input_tokens: 5, output_tokens: 7 });
  for (const event of builder.sink) hubEventSchema.parse(event);
  assert.deepEqual(builder.sink.map((event) => event.type), [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  const starts = builder.sink.filter((event) => event.type === "content_block_start");
  assert.deepEqual(starts.map((event) => event.index), [0, 1, 2]);
  assert.equal(builder.finished, true);
  assert.equal(builder.sawToolUse, true);
});

Deno.test("HubStreamBuilder ignores everything after the terminal event", () => {
  const builder = new HubStreamBuilder(identity);
  builder.text("a");
  builder.finish("end_turn");
  const count = builder.sink.length;
  builder.text("late");
  builder.finish("end_turn");
  builder.fail("api_error", "late");
  builder.end();
  assert.equal(builder.sink.length, count);
});

Deno.test("HubStreamBuilder turns an unfinished upstream end into an error, never end_turn", () => {
  const cut = new HubStreamBuilder(identity);
  cut.text("partial");
  cut.end();
  assert.equal(cut.sink.at(-1)?.type, "error");
  assert.match(JSON.stringify(cut.sink.at(-1)), /ended before completion/);

  const empty = new HubStreamBuilder(identity);
  empty.end();
  assert.deepEqual(empty.sink.map((event) => event.type), ["error"]);
  assert.match(JSON.stringify(empty.sink[0]), /empty stream/);
});

Deno.test("HubStreamBuilder drops empty deltas", () => {
  const builder = new HubStreamBuilder(identity);
  builder.text("");
  builder.thinking("");
  assert.equal(builder.sink.length, 0);
});

// Regression: Claude Code ignores deltas after a block's stop, so interleaved parallel calls once lost one call.
Deno.test("HubStreamBuilder holds a second tool call until the open call's JSON is complete", () => {
  const builder = new HubStreamBuilder(identity);
  const first = builder.toolStart("call_a", "Write");
  builder.toolArguments(first, '{"file_path":');
  const second = builder.toolStart("call_b", "Write");
  builder.toolArguments(second, '{"file_path":"/b"}');
  builder.text("held too");
  assert.deepEqual(builder.sink.map((event) => event.type), [
    "message_start",
    "content_block_start",
    "content_block_delta",
  ]);
  builder.toolArguments(first, '"/a"}');
  builder.finish("tool_use");
  assert.deepEqual(hubGrammarViolations(builder.sink), []);
  const message = collectMessage(builder.sink);
  assert.deepEqual(message.content, [
    { type: "tool_use", id: "call_a", name: "Write", input: { file_path: "/a" } },
    { type: "tool_use", id: "call_b", name: "Write", input: { file_path: "/b" } },
    { type: "text", text: "held too" },
  ]);
});

Deno.test("HubStreamBuilder streams calls that arrive one after another without holding anything", () => {
  const builder = new HubStreamBuilder(identity);
  const first = builder.toolStart("call_a", "Read");
  builder.toolArguments(first, '{"path":"/a"}');
  const second = builder.toolStart("call_b", "Read");
  const countBefore = builder.sink.length;
  builder.toolArguments(second, '{"path":');
  assert.equal(builder.sink.length, countBefore + 1, "the second call's fragment goes out at once");
  builder.toolArguments(second, '"/b"}');
  builder.finish("tool_use");
  assert.deepEqual(hubGrammarViolations(builder.sink), []);
});

Deno.test("HubStreamBuilder sends what it held before the terminal event, even if a call never completed", () => {
  const finished = new HubStreamBuilder(identity);
  const cut = finished.toolStart("call_a", "Write");
  finished.toolArguments(cut, '{"file_path":');
  finished.text("after");
  finished.finish("max_tokens");
  assert.deepEqual(hubGrammarViolations(finished.sink), []);
  assert.equal(collectMessage(finished.sink).content.at(-1)?.type, "text");

  const failed = new HubStreamBuilder(identity);
  const open = failed.toolStart("call_a", "Write");
  failed.toolArguments(open, "{");
  failed.thinking("late");
  failed.fail("api_error", "cut");
  assert.deepEqual(failed.sink.map((event) => event.type).slice(-3), [
    "content_block_start",
    "content_block_delta",
    "error",
  ]);
});
