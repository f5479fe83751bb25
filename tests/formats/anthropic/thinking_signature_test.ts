import assert from "node:assert/strict";
import type { HubMessage } from "../../../lib/hub/schema.ts";
import {
  anthropicSignatureOrigin,
  unwrapAnthropicSignature,
  wrapAnthropicSignature,
} from "../../../lib/formats/anthropic/thinking_signature.ts";
import { geminiContentsFromHub } from "../../../lib/formats/gemini/contents_from_hub.ts";
import { decodeThoughtSignature } from "../../../lib/formats/gemini/thought_signature.ts";
import { openaiChatMessagesFromHub } from "../../../lib/formats/openai-chat/messages_from_hub.ts";
import { openaiResponsesInputFromHub } from "../../../lib/formats/openai-responses/input_from_hub.ts";
import { decodeReasoningSignature } from "../../../lib/formats/openai-responses/reasoning_signature.ts";
import { decodeSignature, encodeSignature, isGatewaySignature } from "../../../lib/hub/signature.ts";
import { fakeCatalog } from "../../support/fake_catalog.ts";

const MINIMAX = anthropicSignatureOrigin({ service: "go", upstreamModel: "minimax-m2.7" });
const QWEN = anthropicSignatureOrigin({ service: "go", upstreamModel: "qwen3.7-plus" });
/** A real-looking Anthropic signature (base64, with `+`, `/` and padding). */
const RAW = "EqQBCkgIARABGAIiQL+/9sZ3w==";

Deno.test("anthropicSignatureOrigin is the service and the exact upstream model", () => {
  assert.equal(MINIMAX, "go/minimax-m2.7");
  assert.notEqual(
    anthropicSignatureOrigin({ service: "zen", upstreamModel: "minimax-m2.7" }),
    MINIMAX,
  );
});

Deno.test("wrapAnthropicSignature: an `anthropic` envelope naming the origin, restored for that origin only", () => {
  const wrapped = wrapAnthropicSignature(RAW, MINIMAX);
  assert.ok(isGatewaySignature(wrapped));
  assert.ok(wrapped.startsWith("ocb1.anthropic."));
  assert.deepEqual(JSON.parse(decodeSignature(wrapped)!.payload), { m: MINIMAX, s: RAW });
  assert.equal(unwrapAnthropicSignature(wrapped, MINIMAX), RAW);
  assert.equal(unwrapAnthropicSignature(wrapped, QWEN), undefined);
  // An upstream that is itself a gateway: its envelope is opaque data like any other, and comes back whole.
  const nested = encodeSignature({ provider: "gemini", payload: "{}" });
  assert.equal(unwrapAnthropicSignature(wrapAnthropicSignature(nested, MINIMAX), MINIMAX), nested);
});

Deno.test("unwrapAnthropicSignature drops raw, missing, other-family and malformed signatures", () => {
  for (
    const signature of [
      RAW,
      "",
      undefined,
      encodeSignature({ provider: "openai-chat", payload: "" }),
      encodeSignature({ provider: "anthropic", payload: "not json" }),
      encodeSignature({ provider: "anthropic", payload: "null" }),
      encodeSignature({ provider: "anthropic", payload: JSON.stringify({ m: MINIMAX }) }),
      encodeSignature({ provider: "anthropic", payload: JSON.stringify({ m: MINIMAX, s: "" }) }),
      encodeSignature({ provider: "anthropic", payload: JSON.stringify({ m: MINIMAX, s: 7 }) }),
    ]
  ) {
    assert.equal(unwrapAnthropicSignature(signature, MINIMAX), undefined, String(signature));
  }
  // Nothing to wrap stays nothing: a block without a signature is not made to look signed.
  assert.equal(wrapAnthropicSignature("", MINIMAX), "");
});

Deno.test("other families take an `anthropic` envelope as foreign", async () => {
  const signature = wrapAnthropicSignature(RAW, MINIMAX);
  assert.equal(decodeReasoningSignature(signature, "gpt-5.5"), undefined);
  assert.equal(decodeThoughtSignature(signature, "gemini-3.1-pro"), undefined);
  const messages: HubMessage[] = [
    { role: "user", content: "a" },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "MiniMax's plan.", signature },
        { type: "redacted_thinking", data: wrapAnthropicSignature("enc", MINIMAX) },
        { type: "text", text: "done" },
      ],
    },
    { role: "user", content: "b" },
  ];
  // Responses and Gemini: no reasoning item and no thought signature comes out of it.
  const input = openaiResponsesInputFromHub(messages, "gpt-5.5");
  assert.ok(!JSON.stringify(input).includes("ocb1."), JSON.stringify(input));
  assert.ok(!input.some((item) => (item as { type?: string }).type === "reasoning"));
  const { contents } = geminiContentsFromHub(messages, "gemini-3.1-pro");
  assert.ok(!JSON.stringify(contents).includes("ocb1."), JSON.stringify(contents));
  // Chat replays the thinking text, whatever signed it (chat upstreams have no signatures), never the data.
  const catalog = fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: "http://127.0.0.1:9" });
  const chat = openaiChatMessagesFromHub({ messages }, await catalog.resolve("kimi-k2.6"));
  assert.deepEqual(chat.find((message) => message.role === "assistant"), {
    role: "assistant",
    content: "done",
    reasoning_content: "MiniMax's plan.",
  });
  assert.ok(!JSON.stringify(chat).includes("ocb1."));
});
