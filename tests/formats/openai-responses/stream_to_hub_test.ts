import assert from "node:assert/strict";
import type { HubEvent } from "../../../lib/hub/schema.ts";
import { decodeReasoningSignature } from "../../../lib/formats/openai-responses/reasoning_signature.ts";
import { openaiResponsesStreamToHub } from "../../../lib/formats/openai-responses/stream_to_hub.ts";
import { collectMessage } from "../../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../../lib/hub/stream_builder.ts";
import { assertHubGrammar } from "../../support/check_hub_grammar.ts";
import { responsesModel } from "./responses_model.ts";

type Event = { type: string; [key: string]: unknown };

/** Runs events through a fresh translator, as the relay does, and returns the hub events. */
function translate(events: Event[]): HubEvent[] {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "gpt-5.5" });
  const call = { model: responsesModel(), apiKey: "k", sessionId: "s", clientHeaders: new Headers() };
  const toHub = openaiResponsesStreamToHub(builder, call);
  for (const event of events) {
    if (builder.finished) break;
    toHub.push({ event: event.type, data: JSON.stringify(event), raw: new Uint8Array() });
  }
  builder.end();
  assertHubGrammar(builder.sink);
  return builder.sink;
}

const created = { type: "response.created", response: { id: "resp_1", status: "in_progress", output: [] } };
const completed = (usage: unknown = null) => ({
  type: "response.completed",
  response: { status: "completed", usage },
});

Deno.test("openaiResponsesStreamToHub keeps interleaved parallel function calls apart by item id", () => {
  const events = translate([
    created,
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "function_call", id: "fc_a", call_id: "call_a", name: "Read", arguments: "" },
    },
    {
      type: "response.output_item.added",
      output_index: 1,
      item: { type: "function_call", id: "fc_b", call_id: "call_b", name: "Glob", arguments: "" },
    },
    { type: "response.function_call_arguments.delta", item_id: "fc_a", output_index: 0, delta: '{"path":' },
    {
      type: "response.function_call_arguments.delta",
      item_id: "fc_b",
      output_index: 1,
      delta: '{"pattern":"*"}',
    },
    { type: "response.function_call_arguments.delta", item_id: "fc_a", output_index: 0, delta: '"/a"}' },
    completed(),
  ]);
  const message = collectMessage(events);
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.content, [
    { type: "tool_use", id: "call_a", name: "Read", input: { path: "/a" } },
    { type: "tool_use", id: "call_b", name: "Glob", input: { pattern: "*" } },
  ]);
});

Deno.test("openaiResponsesStreamToHub takes arguments from the done events when no deltas came", () => {
  const message = collectMessage(translate([
    created,
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "function_call", id: "fc_a", call_id: "call_a", name: "Read" },
    },
    { type: "response.function_call_arguments.done", item_id: "fc_a", output_index: 0, arguments: '{"x":1}' },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: { type: "function_call", id: "fc_a", call_id: "call_a", name: "Read", arguments: '{"x":1}' },
    },
    completed(),
  ]));
  assert.deepEqual(message.content, [{ type: "tool_use", id: "call_a", name: "Read", input: { x: 1 } }]);
});

Deno.test("openaiResponsesStreamToHub signs reasoning without a summary so its encrypted content survives", () => {
  const message = collectMessage(translate([
    created,
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "reasoning", id: "rs_1", summary: [] },
    },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAAenc" },
    },
    { type: "response.output_text.delta", item_id: "msg_1", output_index: 1, content_index: 0, delta: "Hi" },
    completed(),
  ]));
  assert.equal(message.content.length, 2);
  const thinking = message.content[0];
  assert.ok(thinking.type === "thinking");
  assert.equal(thinking.thinking, "");
  assert.deepEqual(decodeReasoningSignature(thinking.signature, "gpt-5.5"), {
    type: "reasoning",
    id: "rs_1",
    encrypted_content: "gAAAenc",
    summary: [],
  });
});

Deno.test("openaiResponsesStreamToHub separates summary parts and reads raw reasoning text", () => {
  const message = collectMessage(translate([
    created,
    {
      type: "response.reasoning_summary_text.delta",
      item_id: "rs_1",
      output_index: 0,
      summary_index: 0,
      delta: "One.",
    },
    {
      type: "response.reasoning_summary_text.delta",
      item_id: "rs_1",
      output_index: 0,
      summary_index: 1,
      delta: "Two.",
    },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: "One." }],
        encrypted_content: "e",
      },
    },
    {
      type: "response.reasoning_text.delta",
      item_id: "rs_2",
      output_index: 1,
      content_index: 0,
      delta: "Raw.",
    },
    completed(),
  ]));
  assert.deepEqual(
    message.content.map((block) => block.type === "thinking" ? block.thinking : block.type),
    ["One.\n\nTwo.", "Raw."],
  );
});

Deno.test("openaiResponsesStreamToHub maps a refusal, ignores pings and unknown events, and converts usage", () => {
  const events = translate([
    created,
    { type: "response.in_progress", response: {} },
    { type: "response.web_search_call.searching", item_id: "ws_1" },
    {
      type: "response.refusal.delta",
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      delta: "I can't.",
    },
    completed({ input_tokens: 50, input_tokens_details: { cached_tokens: 40 }, output_tokens: 7 }),
    { type: "ping", cost: "0.001" },
  ]);
  const message = collectMessage(events);
  assert.equal(message.stop_reason, "refusal");
  assert.deepEqual(message.usage, { input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 40 });
});

Deno.test("openaiResponsesStreamToHub turns response.failed and error events into error events", async (t) => {
  const cases = [
    {
      name: "failed with server_error",
      event: {
        type: "response.failed",
        response: { status: "failed", error: { code: "server_error", message: "Boom" } },
      },
      expected: { type: "api_error", message: "Boom" },
    },
    {
      name: "flat error event",
      event: { type: "error", code: "rate_limit_exceeded", message: "Slow down", param: null },
      expected: { type: "rate_limit_error", message: "Slow down" },
    },
    {
      name: "nested error event with context overflow",
      event: {
        type: "error",
        error: { code: "context_length_exceeded", message: "Input exceeds the context window" },
      },
      expected: {
        type: "invalid_request_error",
        message: "prompt is too long: Input exceeds the context window",
      },
    },
  ];
  for (const { name, event, expected } of cases) {
    await t.step(name, () => {
      const events = translate([created, event]);
      assert.deepEqual(events.at(-1), { type: "error", error: expected });
    });
  }
});

Deno.test("openaiResponsesStreamToHub rejects a handled event with the wrong shape", () => {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "gpt-5.5" });
  const call = { model: responsesModel(), apiKey: "k", sessionId: "s", clientHeaders: new Headers() };
  const toHub = openaiResponsesStreamToHub(builder, call);
  const data = JSON.stringify({ type: "response.output_text.delta", delta: 5 });
  assert.throws(() => toHub.push({ event: "response.output_text.delta", data, raw: new Uint8Array() }));
});
