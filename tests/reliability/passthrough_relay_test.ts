// The Chat and Responses pass-throughs go through the same relay as everything else: retries, fallbacks
// (translated when the fallback speaks another format), x-upstream-url, the max-tokens clamp, the request
// log, and a clear upstream error for a 200 that is not JSON.
import * as assert from "node:assert/strict";
import {
  familyOfUrl,
  GO_URL,
  makeGateway,
  messagesRequest,
  opencodeError,
  scriptedAnswer,
  streamResponse,
  waitFor,
} from "../support/reliability_harness.ts";

const KEY = { headers: { authorization: "Bearer sk-client-key" } };

function chatRequest(body: Record<string, unknown>, headers: Record<string, string> = {}): Request {
  return messagesRequest(body, { path: "/v1/chat/completions", headers: { ...KEY.headers, ...headers } });
}

const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: "kimi-k2.6",
  messages: [{ role: "user", content: "Hi" }],
  ...extra,
});

Deno.test("chat pass-through: a non-stream 200 that is not JSON is a 502 api_error, not an internal error", async () => {
  const { handler } = makeGateway({}, () => new Response("<!doctype html><h1>Cloudflare</h1>"));
  const response = await handler(chatRequest(chatBody()));
  assert.equal(response.status, 502);
  const body = await response.json();
  // api_error in OpenAI's vocabulary.
  assert.equal(body.error.type, "server_error");
  assert.match(body.error.message, /not a JSON object/);
  assert.doesNotMatch(body.error.message, /Internal gateway error/);
});

Deno.test("chat pass-through: a non-stream answer that goes silent hits the idle timeout (504)", async () => {
  const { handler } = makeGateway(
    { IDLE_TIMEOUT_MS: "40" },
    (call) => streamResponse(['{"id":"x",'], { hold: true, signal: call.signal }),
  );
  const response = await handler(chatRequest(chatBody()));
  assert.equal(response.status, 504);
  assert.equal((await response.json()).error.type, "timeout_error");
});

Deno.test("chat pass-through is retried, and falls back to another family through the hub", async () => {
  const { handler, calls } = makeGateway(
    { MODEL_FALLBACKS: "kimi-k2.6=minimax-m2.7", RETRIES: "1" },
    (call) =>
      familyOfUrl(call.url) === "openai-chat"
        ? opencodeError(503, "error", "no capacity")
        : scriptedAnswer("anthropic"),
  );
  const response = await handler(chatRequest(chatBody({ stream: true, max_tokens: 50 })));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-opencode-fallback"), "minimax-m2.7");
  assert.equal(response.headers.get("x-opencode-retries"), "2");
  assert.deepEqual(calls.map((call) => familyOfUrl(call.url)), ["openai-chat", "openai-chat", "anthropic"]);
  // The first two carried the client's own JSON; the fallback a request translated from the hub.
  assert.deepEqual(calls[0].body?.stream_options, { include_usage: true });
  assert.equal(calls[2].body?.model, "minimax-m2.7");
  assert.equal(calls[2].body?.max_tokens, 50);
  const text = await response.text();
  assert.match(text, /"content":"Hello"/);
  assert.ok(text.endsWith("data: [DONE]\n\n"));
});

Deno.test("chat pass-through honours x-upstream-url and clamps max_tokens to the model's output limit", async () => {
  const { handler, calls } = makeGateway(
    { UPSTREAM_URL_OVERRIDE_HOSTS: "alt.test" },
    () => scriptedAnswer("openai-chat"),
  );
  const response = await handler(
    chatRequest(chatBody({ stream: true, max_completion_tokens: 10_000_000 }), {
      "x-upstream-url": "https://alt.test/v1",
    }),
  );
  assert.equal(response.status, 200);
  await response.text();
  assert.equal(calls[0].url, "https://alt.test/v1/chat/completions");
  assert.ok(!calls[0].url.startsWith(GO_URL));
  assert.equal(calls[0].body?.max_completion_tokens, 65_536);
  assert.equal(calls[0].body?.max_tokens, undefined);
});

Deno.test("chat pass-through streams get a request log line with the upstream's facts", async () => {
  const { handler, logs } = makeGateway({ LOG_LEVEL: "info" }, () => scriptedAnswer("openai-chat"));
  const response = await handler(chatRequest(chatBody({ stream: true })));
  assert.ok((await response.text()).endsWith("data: [DONE]\n\n"));
  await waitFor(() => logs.length === 1);
  const line = JSON.parse(logs[0]);
  assert.equal(line.route, "/v1/chat/completions");
  assert.equal(line.upstream_model, "kimi-k2.6");
  assert.equal(line.family, "openai-chat");
  assert.equal(line.stream, true);
  assert.equal(line.upstream_status, 200);
});

Deno.test("responses pass-through: a non-stream 200 that is not JSON is a 502 in the Responses shape", async () => {
  const { handler, calls } = makeGateway({}, () => new Response("", { status: 200 }));
  const response = await handler(
    messagesRequest({ model: "gpt-5.5", input: "Hi", max_output_tokens: 10_000_000 }, {
      path: "/zen/v1/responses",
      headers: KEY.headers,
    }),
  );
  assert.equal(response.status, 502);
  const body = await response.json();
  assert.match(body.error.message, /not a JSON object/);
  assert.ok(calls[0].url.endsWith("/responses"));
  assert.equal(calls[0].body?.max_output_tokens, 65_536);
  assert.equal(calls[0].body?.model, "gpt-5.5");
});
