import assert from "node:assert/strict";
import type { HubEvent } from "../../../lib/hub/schema.ts";
import { geminiStreamToHub } from "../../../lib/formats/gemini/stream_to_hub.ts";
import { decodeThoughtSignature } from "../../../lib/formats/gemini/thought_signature.ts";
import { collectMessage } from "../../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../../lib/hub/stream_builder.ts";
import { assertHubGrammar } from "../../support/check_hub_grammar.ts";
import { geminiModel } from "./gemini_model.ts";

function translate(chunks: unknown[]): HubEvent[] {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "gemini-3.1-pro" });
  const toHub = geminiStreamToHub(builder, {
    model: geminiModel(),
    apiKey: "k",
    sessionId: "s",
    clientHeaders: new Headers(),
  });
  for (const chunk of chunks) {
    if (builder.finished) break;
    toHub.push({ event: "message", data: JSON.stringify(chunk), raw: new Uint8Array() });
  }
  builder.end();
  assertHubGrammar(builder.sink);
  return builder.sink;
}

const parts = (...list: unknown[]) => ({ candidates: [{ content: { role: "model", parts: list } }] });
const finish = (reason: string, usage: unknown = { promptTokenCount: 10, candidatesTokenCount: 2 }) => ({
  candidates: [{ content: { role: "model", parts: [] }, finishReason: reason }],
  usageMetadata: usage,
});

Deno.test("geminiStreamToHub signs the thinking before a function call with that call's signature", () => {
  const message = collectMessage(translate([
    parts({ text: "Plan.", thought: true }),
    parts(
      { functionCall: { name: "Read", args: { path: "/a" } }, thoughtSignature: "c2lnMQ==" },
      { functionCall: { name: "Read", args: { path: "/b" } } },
    ),
    finish("STOP"),
  ]));
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.content.map((block) => block.type), ["thinking", "tool_use", "tool_use"]);
  const thinking = message.content[0];
  assert.ok(thinking.type === "thinking");
  assert.equal(thinking.thinking, "Plan.");
  assert.deepEqual(decodeThoughtSignature(thinking.signature, "gemini-3.1-pro"), {
    model: "gemini-3.1-pro",
    thoughtSignature: "c2lnMQ==",
    target: "functionCall",
  });
  const [first, second] = message.content.slice(1);
  assert.ok(first.type === "tool_use" && second.type === "tool_use");
  assert.match(first.id, /^toolu_gm_1_[0-9a-f]{16}$/);
  assert.match(second.id, /^toolu_gm_2_[0-9a-f]{16}$/);
  assert.deepEqual(second.input, { path: "/b" });
});

Deno.test("geminiStreamToHub signs ahead of the answer when the signature comes with its first text", () => {
  const message = collectMessage(translate([
    parts({ text: "Thinking.", thought: true }),
    parts({ text: "Hel", thoughtSignature: "dGV4dA==" }),
    parts({ text: "lo" }),
    finish("STOP", {
      promptTokenCount: 100,
      cachedContentTokenCount: 60,
      candidatesTokenCount: 5,
      thoughtsTokenCount: 7,
    }),
  ]));
  assert.equal(message.stop_reason, "end_turn");
  const [signed, text] = message.content;
  assert.ok(signed.type === "thinking");
  assert.equal(signed.thinking, "Thinking.");
  assert.equal(decodeThoughtSignature(signed.signature, "gemini-3.1-pro")?.thoughtSignature, "dGV4dA==");
  assert.deepEqual(text, { type: "text", text: "Hello" });
  assert.deepEqual(message.usage, { input_tokens: 40, output_tokens: 12, cache_read_input_tokens: 60 });
});

// `claude -p` printed an empty result: it prints the last block, and a signature block came after the answer.
Deno.test("geminiStreamToHub never ends a plain answer with a signature block", () => {
  const plain = collectMessage(
    translate([parts({ text: "Hello" }), parts({ text: "", thoughtSignature: "bGF0ZQ==" }), finish("STOP")]),
  );
  assert.deepEqual(plain.content, [{ type: "text", text: "Hello" }]);
  const withCall = collectMessage(translate([
    parts({ text: "Looking", thoughtSignature: undefined }),
    parts({ text: "", thoughtSignature: "bGF0ZQ==" }),
    parts({ functionCall: { name: "Glob", args: {} } }),
    finish("STOP"),
  ]));
  assert.deepEqual(withCall.content.map((block) => block.type), ["text", "tool_use", "thinking"]);
  const signed = withCall.content[2];
  assert.equal(
    signed.type === "thinking" && decodeThoughtSignature(signed.signature, "gemini-3.1-pro")?.target,
    "text",
  );
});

Deno.test("geminiStreamToHub ends a blocked prompt as a refusal", () => {
  const message = collectMessage(translate([{ promptFeedback: { blockReason: "SAFETY" } }]));
  assert.equal(message.stop_reason, "refusal");
  assert.deepEqual(message.content, []);
});

Deno.test("geminiStreamToHub fails an empty MALFORMED_FUNCTION_CALL instead of an empty end_turn", () => {
  const events = translate([finish("MALFORMED_FUNCTION_CALL")]);
  assert.equal(events.at(-1)?.type, "error");
});

Deno.test("geminiStreamToHub turns an error object into an error event of its kind", () => {
  const events = translate([
    parts({ text: "Hi" }),
    { error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } },
  ]);
  assert.deepEqual(events.at(-1), {
    type: "error",
    error: { type: "overloaded_error", message: "The model is overloaded." },
  });
});

Deno.test("geminiStreamToHub ignores chunks after the finish and rejects malformed chunks", () => {
  const events = translate([parts({ text: "Hi" }), finish("STOP"), parts({ text: "late" })]);
  assert.deepEqual(collectMessage(events).content, [{ type: "text", text: "Hi" }]);
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "m" });
  const toHub = geminiStreamToHub(builder, {
    model: geminiModel(),
    apiKey: "k",
    sessionId: "s",
    clientHeaders: new Headers(),
  });
  assert.throws(() => toHub.push({ event: "message", data: '{"candidates":5}', raw: new Uint8Array() }));
});
