import assert from "node:assert/strict";
import type { HubEvent } from "../../../lib/hub/schema.ts";
import { anthropicStreamToHub } from "../../../lib/formats/anthropic/stream_to_hub.ts";
import {
  unwrapAnthropicSignature,
  wrapAnthropicSignature,
} from "../../../lib/formats/anthropic/thinking_signature.ts";
import { collectMessage } from "../../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../../lib/hub/stream_builder.ts";
import { SseDecoder, type SseEvent } from "../../../lib/sse/sse_decoder.ts";
import { COST_PING, frame, type ScriptedTurn, turnEvents } from "../../support/fake_anthropic_upstream.ts";
import { byteChunks } from "../../support/fake_upstream.ts";

function upstreamText(turn: ScriptedTurn, trailer = COST_PING): string {
  let id = 0;
  const events = turnEvents(turn, {
    model: "MiniMax-M2.7",
    messageId: "msg_up",
    sign: () => "sig-from-upstream",
    toolId: () => `toolu_up_${++id}`,
  });
  return events.slice(0, turn.cutAfterEvents).map(frame).join("") + trailer;
}

const ORIGIN = "go/MiniMax-M2.7";

/** Feeds the text in small chunks, as the relay does, and returns the hub events. */
function translate(text: string): HubEvent[] {
  const builder = new HubStreamBuilder({ messageId: "msg_hub", model: "minimax-m2.7" });
  const toHub = anthropicStreamToHub(builder, ORIGIN);
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const chunk of byteChunks(text, 13)) decoder.push(chunk, events);
  decoder.end(events);
  for (const event of events) {
    if (builder.finished) break;
    toHub.push(event);
  }
  builder.end();
  return builder.sink;
}

Deno.test("anthropicStreamToHub carries thinking with its signature, text and parallel tool calls", () => {
  const events = translate(upstreamText({
    thinking: "Plan: write two files — naïvely.",
    text: "Writing both.",
    toolUses: [
      { name: "Write", input: { file_path: "/a.txt", content: "A" } },
      { name: "Write", input: { file_path: "/b.txt", content: "B" } },
    ],
    usage: { input_tokens: 1200, output_tokens: 90, cache_read_input_tokens: 800 },
  }));
  const message = collectMessage(events);
  assert.equal(message.model, "minimax-m2.7");
  assert.deepEqual(message.content, [
    {
      type: "thinking",
      thinking: "Plan: write two files — naïvely.",
      signature: wrapAnthropicSignature("sig-from-upstream", ORIGIN),
    },
    { type: "text", text: "Writing both." },
    { type: "tool_use", id: "toolu_up_1", name: "Write", input: { file_path: "/a.txt", content: "A" } },
    { type: "tool_use", id: "toolu_up_2", name: "Write", input: { file_path: "/b.txt", content: "B" } },
  ]);
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.usage, {
    input_tokens: 1200,
    output_tokens: 90,
    cache_read_input_tokens: 800,
    cache_creation_input_tokens: 0,
  });
  assert.equal(events.at(-1)?.type, "message_stop");
  assert.ok(!events.some((event) => event.type === "ping"));
});

Deno.test("anthropicStreamToHub wraps every signature and redacted_thinking data for its origin", () => {
  const text = [
    { type: "message_start", message: { usage: { input_tokens: 5, output_tokens: 1 } } },
    // Anthropic's way: an empty signature at the start, the real one as a delta.
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "", signature: "" },
    },
    { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "One." } },
    { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig-1" } },
    { type: "content_block_stop", index: 0 },
    { type: "content_block_start", index: 1, content_block: { type: "redacted_thinking", data: "enc-data" } },
    { type: "content_block_stop", index: 1 },
    // An upstream that sends the signature with the start, thinking after it.
    {
      type: "content_block_start",
      index: 2,
      content_block: { type: "thinking", thinking: "Two", signature: "sig-2" },
    },
    { type: "content_block_delta", index: 2, delta: { type: "thinking_delta", thinking: " more." } },
    { type: "content_block_stop", index: 2 },
    { type: "content_block_start", index: 3, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 3, delta: { type: "text_delta", text: "ok" } },
    { type: "content_block_stop", index: 3 },
    { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } },
    { type: "message_stop" },
  ].map(frame).join("");
  const message = collectMessage(translate(text));
  assert.deepEqual(message.content, [
    { type: "thinking", thinking: "One.", signature: wrapAnthropicSignature("sig-1", ORIGIN) },
    { type: "redacted_thinking", data: wrapAnthropicSignature("enc-data", ORIGIN) },
    { type: "thinking", thinking: "Two more.", signature: wrapAnthropicSignature("sig-2", ORIGIN) },
    { type: "text", text: "ok" },
  ]);
  const [first, redacted] = message.content as { signature?: string; data?: string }[];
  assert.equal(unwrapAnthropicSignature(first.signature, ORIGIN), "sig-1");
  assert.equal(unwrapAnthropicSignature(redacted.data, ORIGIN), "enc-data");
  assert.equal(unwrapAnthropicSignature(first.signature, "go/qwen3.7-plus"), undefined);
});

Deno.test("anthropicStreamToHub turns a cut stream into a terminal error", () => {
  const events = translate(upstreamText({ text: "partial answer", cutAfterEvents: 4 }, ""));
  assert.deepEqual(events.at(-1), {
    type: "error",
    error: { type: "api_error", message: "Upstream stream ended before completion" },
  });
});

Deno.test("anthropicStreamToHub maps an upstream error event, OpenCode classes included", async (t) => {
  const cases: [data: unknown, kind: string][] = [
    [{ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, "overloaded_error"],
    [{ type: "error", error: { type: "GoUsageLimitError", message: "limit" } }, "rate_limit_error"],
    [{ type: "error", error: { type: "SomethingNew", message: "odd" } }, "api_error"],
  ];
  for (const [data, kind] of cases) {
    await t.step(kind, () => {
      const start = upstreamText({ text: "x", cutAfterEvents: 2 }, "");
      const events = translate(`${start}event: error\ndata: ${JSON.stringify(data)}\n\n`);
      const last = events.at(-1) as Extract<HubEvent, { type: "error" }>;
      assert.equal(last.type, "error");
      assert.equal(last.error.type, kind);
    });
  }
});

Deno.test("anthropicStreamToHub carries an upstream's own server-tool blocks and citations, and skips what the hub cannot carry", () => {
  const citation = { type: "web_search_result_location", url: "https://a.b", title: "A", cited_text: "ok" };
  const text = [
    { type: "message_start", message: { usage: { input_tokens: 5, output_tokens: 1 } } },
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "server_tool_use", id: "s1", name: "x" },
    },
    { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"q":1}' } },
    { type: "content_block_stop", index: 0 },
    {
      type: "content_block_start",
      index: 2,
      content_block: { type: "web_search_tool_result", tool_use_id: "s1", content: [{ url: "https://a.b" }] },
    },
    { type: "content_block_stop", index: 2 },
    { type: "content_block_start", index: 3, content_block: { type: "mystery_block" } },
    { type: "content_block_stop", index: 3 },
    { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "ok" } },
    { type: "content_block_delta", index: 1, delta: { type: "citations_delta", citation: {} } },
    { type: "content_block_delta", index: 1, delta: { type: "citations_delta", citation } },
    { type: "content_block_stop", index: 1 },
    {
      type: "message_delta",
      delta: { stop_reason: "model_context_window_exceeded" },
      usage: { output_tokens: 3 },
    },
    { type: "message_stop" },
  ].map(frame).join("");
  const message = collectMessage(translate(text));
  assert.deepEqual(message.content, [
    { type: "server_tool_use", id: "s1", name: "x", input: { q: 1 } },
    { type: "web_search_tool_result", tool_use_id: "s1", content: [{ url: "https://a.b" }] },
    { type: "text", text: "ok", citations: [citation] },
  ]);
  assert.equal(message.stop_reason, "max_tokens");
});

// Client saw: "Upstream returned an empty stream" (500) from an Anthropic-format upstream that sends
// data-only frames, without `event:` lines.
Deno.test("anthropicStreamToHub reads data-only frames by their type field", () => {
  const named = upstreamText({
    thinking: "Hm.",
    text: "Hello",
    toolUses: [{ name: "Write", input: { file_path: "/a.txt", content: "A" } }],
    usage: { input_tokens: 5, output_tokens: 3 },
  });
  const dataOnly = named.replace(/^event: [^\n]*\n/gm, "");
  assert.ok(!dataOnly.includes("event:"));
  assert.deepEqual(collectMessage(translate(dataOnly)), collectMessage(translate(named)));
  assert.equal(collectMessage(translate(dataOnly)).stop_reason, "tool_use");
  const error = translate(
    `${dataOnly.split("\n\n").slice(0, 2).join("\n\n")}\n\n` +
      `data: ${
        JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })
      }\n\n`,
  );
  assert.deepEqual(error.at(-1), {
    type: "error",
    error: { type: "overloaded_error", message: "Overloaded" },
  });
});
