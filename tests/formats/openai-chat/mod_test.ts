import assert from "node:assert/strict";
import { requestSchema } from "../../../lib/hub/schema.ts";
import { openaiChatUpstream } from "../../../lib/formats/openai-chat/mod.ts";
import { upstreamFormats } from "../../../lib/formats/registry.ts";
import { chatModel } from "./chat_model.ts";

Deno.test("openaiChatUpstream.buildRequest posts to {baseUrl}/chat/completions with OpenCode headers", () => {
  const request = requestSchema.parse({
    model: "kimi-k2.6",
    max_tokens: 10,
    messages: [{ role: "user", content: "hi" }],
  });
  const built = openaiChatUpstream.buildRequest(request, {
    model: chatModel(),
    apiKey: "sk-test",
    sessionId: "ocb-1234-abc",
    clientHeaders: new Headers({ "anthropic-beta": "x", "x-api-key": "client" }),
  });
  assert.equal(built.url, "https://opencode.example/zen/go/v1/chat/completions");
  assert.deepEqual(built.headers, {
    "accept": "text/event-stream",
    "authorization": "Bearer sk-test",
    "content-type": "application/json",
    "user-agent": "opencode-bridge/0.1.0",
    "x-opencode-client": "opencode-bridge",
    "x-opencode-session": "ocb-1234-abc",
  });
  const body = JSON.parse(built.body);
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.deepEqual(body.messages, [{ role: "user", content: "hi" }]);
});

Deno.test("the registry serves openai-chat models with openaiChatUpstream", () => {
  assert.equal(upstreamFormats["openai-chat"], openaiChatUpstream);
  assert.equal(openaiChatUpstream.family, "openai-chat");
});
