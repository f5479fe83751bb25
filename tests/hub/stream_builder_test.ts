import assert from "node:assert/strict";
import { hubEventSchema } from "../../lib/formats/anthropic/schema.ts";
import { HubStreamBuilder } from "../../lib/hub/stream_builder.ts";

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
