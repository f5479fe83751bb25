import assert from "node:assert/strict";
import { openaiResponsesResponseFromHub } from "../../../lib/formats/openai-responses/response_from_hub.ts";
import { openaiResponsesStreamFromHub } from "../../../lib/formats/openai-responses/stream_from_hub.ts";
import { collectMessage } from "../../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../../lib/hub/stream_builder.ts";

type Event = { type: string; sequence_number: number; [key: string]: unknown };

function events(text: string): Event[] {
  return text.split("\n\n").filter(Boolean).map((frame) => {
    const [eventLine, dataLine] = frame.split("\n");
    const event = JSON.parse(dataLine.slice(6)) as Event;
    assert.equal(eventLine, `event: ${event.type}`);
    return event;
  });
}

function turn(stop: "tool_use" | "max_tokens" = "tool_use"): HubStreamBuilder {
  const builder = new HubStreamBuilder({ messageId: "msg_abc", model: "client-model" });
  builder.start({ input_tokens: 5, cache_read_input_tokens: 15 });
  builder.thinking("Plan");
  builder.signature("ocb1.openai-chat.");
  builder.text("Hi");
  const first = builder.toolStart("call_1", "weather");
  builder.toolArguments(first, '{"city":');
  const second = builder.toolStart("call_2", "apply_patch");
  builder.toolArguments(second, '{"input":"*** Begin"}');
  builder.toolArguments(first, '"Paris"}');
  builder.finish(stop, { output_tokens: 9 });
  return builder;
}

Deno.test("openaiResponsesStreamFromHub writes numbered events in the order ResponseStream checks", () => {
  const writer = openaiResponsesStreamFromHub({ customTools: new Set(["apply_patch"]) });
  const out = events(writer.write(turn().sink));
  assert.deepEqual(out.map((event) => event.sequence_number), out.map((_, index) => index));
  assert.deepEqual(out.map((event) => event.type), [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.reasoning_summary_part.added",
    "response.reasoning_summary_text.delta",
    "response.reasoning_summary_text.done",
    "response.reasoning_summary_part.done",
    "response.output_item.done",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.output_item.added",
    "response.function_call_arguments.delta",
    // The builder holds the second call until the first one's JSON is complete (see HubStreamBuilder).
    "response.function_call_arguments.delta",
    "response.output_item.added",
    "response.function_call_arguments.done",
    "response.output_item.done",
    "response.custom_tool_call_input.delta",
    "response.custom_tool_call_input.done",
    "response.output_item.done",
    "response.completed",
  ]);
  const added = out.filter((event) => event.type === "response.output_item.added");
  assert.deepEqual(added.map((event) => event.output_index), [0, 1, 2, 3]);
  const completed = out.at(-1)!.response as { id: string; model: string; output: unknown[]; usage: unknown };
  assert.equal(completed.id, "resp_abc");
  assert.equal(completed.model, "client-model");
  assert.deepEqual(completed.output.map((item) => (item as { type: string }).type), [
    "reasoning",
    "message",
    "function_call",
    "custom_tool_call",
  ]);
  const [reasoning, , call, custom] = completed.output as Record<string, unknown>[];
  assert.equal(reasoning.encrypted_content, "ocb1.openai-chat.");
  assert.deepEqual(reasoning.summary, [{ type: "summary_text", text: "Plan" }]);
  assert.equal(call.arguments, '{"city":"Paris"}');
  assert.equal(call.call_id, "call_1");
  assert.equal(custom.input, "*** Begin");
  assert.deepEqual(completed.usage, {
    input_tokens: 20,
    input_tokens_details: { cached_tokens: 15 },
    output_tokens: 9,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 29,
  });
});

Deno.test("openaiResponsesStreamFromHub ends a max_tokens turn with response.incomplete", () => {
  const out = events(openaiResponsesStreamFromHub({ customTools: new Set() }).write(turn("max_tokens").sink));
  const last = out.at(-1)!;
  assert.equal(last.type, "response.incomplete");
  assert.deepEqual((last.response as { incomplete_details: unknown }).incomplete_details, {
    reason: "max_output_tokens",
  });
});

Deno.test("openaiResponsesStreamFromHub turns an error before any content into created then failed", () => {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "m" });
  builder.fail("rate_limit_error", "Slow down");
  const out = events(openaiResponsesStreamFromHub({ customTools: new Set() }).write(builder.sink));
  assert.deepEqual(out.map((event) => event.type), [
    "response.created",
    "response.in_progress",
    "response.failed",
  ]);
  assert.deepEqual((out[2].response as { error: unknown }).error, {
    code: "rate_limit_exceeded",
    message: "Slow down",
  });
});

Deno.test("openaiResponsesResponseFromHub renders a collected turn as a response object", () => {
  const response = openaiResponsesResponseFromHub(collectMessage(turn().sink), {
    customTools: new Set(["apply_patch"]),
  }) as { status: string; output: { type: string }[]; output_text: string };
  assert.equal(response.status, "completed");
  assert.equal(response.output_text, "Hi");
  assert.deepEqual(response.output.map((item) => item.type), [
    "reasoning",
    "message",
    "function_call",
    "custom_tool_call",
  ]);
});
