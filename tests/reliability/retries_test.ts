// Retries happen only before the client has seen a byte, with backoff, jitter and a capped retry-after;
// fallbacks are tried on retryable failures and reported in a header; OpenCode's error classes are mapped.
import * as assert from "node:assert/strict";
import { describeReset } from "../../lib/errors/upstream_error.ts";
import {
  familyOfUrl,
  makeGateway,
  messagesRequest,
  opencodeError,
  readSse,
  scriptedAnswer,
  simpleBody,
  streamResponse,
} from "../support/reliability_harness.ts";
import { renderScript } from "../support/upstream_scripts.ts";

const KEY = { key: "sk-client-key" };

Deno.test("a 503 then a 200 succeeds with x-opencode-retries: 1", async () => {
  const { handler, calls } = makeGateway(
    {},
    (call, index) =>
      index === 0
        ? opencodeError(503, "error", "Service unavailable")
        : scriptedAnswer(familyOfUrl(call.url)),
  );
  const response = await handler(messagesRequest(simpleBody(), KEY));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-opencode-retries"), "1");
  assert.equal((await response.json()).content[0].text, "Hello world");
  assert.equal(calls.length, 2);
});

Deno.test("connection failures, 500 and 529 are retried up to RETRIES times, then the last error is returned", async () => {
  const failures = [
    () => Promise.reject(new TypeError("connection reset")),
    () => opencodeError(500, "error", "Internal server error"),
    () => opencodeError(529, "overloaded_error", "Overloaded"),
  ];
  const { handler, calls } = makeGateway({ RETRIES: "2" }, (_call, index) => failures[index]());
  const response = await handler(messagesRequest(simpleBody(), KEY));
  assert.equal(calls.length, 3);
  assert.equal(response.status, 529);
  assert.equal(response.headers.get("x-opencode-retries"), "2");
  assert.equal(response.headers.get("x-should-retry"), "true");
  assert.equal((await response.json()).error.type, "overloaded_error");
});

Deno.test("4xx answers and 429s are not retried", async () => {
  for (
    const answer of [
      () => opencodeError(400, "error", "bad"),
      () => opencodeError(429, "RateLimitError", "slow"),
    ]
  ) {
    const { handler, calls } = makeGateway({}, answer);
    const response = await handler(messagesRequest(simpleBody(), KEY));
    assert.ok(response.status === 400 || response.status === 429);
    await response.body?.cancel();
    assert.equal(calls.length, 1);
  }
});

Deno.test("a failure after the first byte is never retried: it becomes event: error", async () => {
  const frames = renderScript("openai-chat", {
    parts: [{ kind: "text", chunks: ["Partial"] }],
    finish: "end",
    usage: { input: 1, output: 1 },
  }).slice(0, 2);
  frames.push('data: {"error":{"message":"upstream exploded","type":"server_error","code":500}}\n\n');
  const { handler, calls } = makeGateway({}, () => streamResponse(frames));
  const response = await handler(messagesRequest(simpleBody("kimi-k2.6", { stream: true }), KEY));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-opencode-retries"), null);
  const events = await readSse(response);
  assert.equal(events.at(-1)?.type, "error");
  assert.equal(calls.length, 1);
});

Deno.test("retry-after is honoured up to RETRY_AFTER_CAP_MS", async () => {
  const { handler, calls } = makeGateway(
    { RETRY_AFTER_CAP_MS: "40" },
    (call, index) =>
      index === 0
        ? opencodeError(503, "error", "busy", { "retry-after": "0.02" })
        : scriptedAnswer(familyOfUrl(call.url)),
  );
  const response = await handler(messagesRequest(simpleBody(), KEY));
  assert.equal(response.status, 200);
  await response.body?.cancel();
  const waited = calls[1].startedAt - calls[0].startedAt;
  assert.ok(waited >= 19, `retried after ${waited} ms, asked for 20`);
});

Deno.test("a retry-after beyond the cap is not waited for: the error and its retry-after go to the client", async () => {
  const { handler, calls } = makeGateway(
    { RETRY_AFTER_CAP_MS: "40" },
    () => opencodeError(503, "error", "busy", { "retry-after": "120" }),
  );
  const response = await handler(messagesRequest(simpleBody(), KEY));
  assert.equal(response.status, 529);
  assert.equal(response.headers.get("retry-after"), "120");
  await response.body?.cancel();
  assert.equal(calls.length, 1);
});

Deno.test("fallback: kimi-k2.6 failing with 503 is answered by glm-5.1, reported in x-opencode-fallback", async () => {
  const { handler, calls } = makeGateway(
    { MODEL_FALLBACKS: "kimi-k2.6=glm-5.1", RETRIES: "1" },
    (call) =>
      call.body?.model === "kimi-k2.6"
        ? opencodeError(503, "error", "no capacity")
        : scriptedAnswer(familyOfUrl(call.url)),
  );
  const response = await handler(messagesRequest(simpleBody("kimi-k2.6", { stream: true }), KEY));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-opencode-fallback"), "glm-5.1");
  assert.equal(response.headers.get("x-opencode-upstream-model"), "glm-5.1");
  assert.equal(response.headers.get("x-opencode-retries"), "2");
  assert.deepEqual(calls.map((call) => call.body?.model), ["kimi-k2.6", "kimi-k2.6", "glm-5.1"]);
  const events = await readSse(response);
  assert.equal(events.at(-1)?.type, "message_stop");
});

Deno.test("fallback across families: a chat model falls back to an Anthropic-family model", async () => {
  const { handler, calls } = makeGateway(
    { MODEL_FALLBACKS: "kimi-k2.6=missing-model|minimax-m2.7", RETRIES: "0" },
    (call) =>
      familyOfUrl(call.url) === "openai-chat"
        ? Promise.reject(new TypeError("refused"))
        : scriptedAnswer("anthropic"),
  );
  const response = await handler(messagesRequest(simpleBody(), KEY));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-opencode-fallback"), "minimax-m2.7");
  assert.equal(response.headers.get("x-opencode-family"), "anthropic");
  assert.ok(calls[1].url.endsWith("/messages"));
  assert.equal((await response.json()).content[0].text, "Hello world");
});

Deno.test("fallback is not used for the client's own errors (400)", async () => {
  const { handler, calls } = makeGateway(
    { MODEL_FALLBACKS: "kimi-k2.6=glm-5.1" },
    () => opencodeError(400, "error", "Error from provider: bad request"),
  );
  const response = await handler(messagesRequest(simpleBody(), KEY));
  assert.equal(response.status, 400);
  await response.body?.cancel();
  assert.equal(calls.length, 1);
});

Deno.test("GoUsageLimitError becomes a 429 rate_limit_error naming the window and the reset time in words", async () => {
  const cases = [["5 hour", "5-hour"], ["weekly", "weekly"], ["monthly", "monthly"]];
  for (const [limitName, words] of cases) {
    const { handler, calls } = makeGateway({}, () =>
      opencodeError(
        429,
        "GoUsageLimitError",
        "Usage limit reached",
        { "retry-after": "15000" },
        { workspace: "wrk_1", limitName },
      ));
    const response = await handler(messagesRequest(simpleBody(), KEY));
    assert.equal(response.status, 429);
    assert.equal(response.headers.get("retry-after"), "15000");
    const body = await response.json();
    assert.equal(body.error.type, "rate_limit_error");
    assert.match(
      body.error.message,
      new RegExp(
        `^OpenCode Go ${words} usage limit reached\\. It resets in 4 hours 10 minutes \\(at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)`,
      ),
    );
    assert.equal(calls.length, 1, "a quota error is never retried");
  }
  assert.match(describeReset(3 * 86_400 + 7200), /^in 3 days 2 hours/);
});

Deno.test("OpenCode error classes are mapped to what they mean", async () => {
  const cases: [number, string, number, string][] = [
    [401, "ModelError", 404, "not_found_error"],
    [401, "AuthError", 401, "authentication_error"],
    [401, "CreditsError", 402, "billing_error"],
    [401, "MonthlyLimitError", 402, "billing_error"],
    [403, "RegionError", 403, "permission_error"],
    [429, "FreeUsageLimitError", 429, "rate_limit_error"],
  ];
  for (const [status, type, expectedStatus, expectedType] of cases) {
    const { handler } = makeGateway({}, () => opencodeError(status, type, `${type} message`));
    const response = await handler(messagesRequest(simpleBody(), KEY));
    assert.equal(response.status, expectedStatus, type);
    assert.equal((await response.json()).error.type, expectedType, type);
  }
});
