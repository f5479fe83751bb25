import assert from "node:assert/strict";
import { upstreamFormats } from "../../lib/formats/registry.ts";
import type { RelayRequest } from "../../lib/hub/wire_format.ts";
import { relayMode } from "../../lib/upstream/relay_mode.ts";

const hub = { model: "m", max_tokens: 10, messages: [{ role: "user" as const, content: "hi" }] };
const streamed: RelayRequest = { hub, stream: true };
const withJson: RelayRequest = { hub, stream: false, clientBody: { model: "m" } };

Deno.test("relayMode passes a client's own JSON only to an upstream of its format", () => {
  assert.equal(relayMode(upstreamFormats["openai-chat"], "openai-chat", withJson), "passthrough");
  assert.equal(relayMode(upstreamFormats["openai-responses"], "openai-responses", withJson), "passthrough");
  assert.equal(relayMode(upstreamFormats["openai-responses"], "openai-chat", withJson), "hub");
  assert.equal(relayMode(upstreamFormats["gemini"], "openai-chat", withJson), "hub");
  // Without the client's JSON (a fallback call built from the hub) a same-format upstream is translated.
  assert.equal(relayMode(upstreamFormats["openai-chat"], "openai-chat", streamed), "hub");
});

Deno.test("relayMode relays an Anthropic upstream's bytes to a streaming Anthropic client", () => {
  assert.equal(relayMode(upstreamFormats["anthropic"], "anthropic", streamed), "bytes");
  assert.equal(relayMode(upstreamFormats["anthropic"], "anthropic", { hub, stream: false }), "hub");
  assert.equal(relayMode(upstreamFormats["anthropic"], "openai-chat", streamed), "hub");
});
