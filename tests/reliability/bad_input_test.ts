// Bad input never reaches the upstream: zod errors name the path in the client's own format, extra fields
// are tolerated, the size limit is enforced while reading (413 before the body ends), malformed JSON is a
// 400, a wrong method a 405 and an unknown path a 404 in Anthropic's shape.
import * as assert from "node:assert/strict";
import {
  familyOfUrl,
  makeGateway,
  messagesRequest,
  scriptedAnswer,
  simpleBody,
} from "../support/reliability_harness.ts";

const answer = (call: { url: string }) => scriptedAnswer(familyOfUrl(call.url));
const KEY = { key: "sk-client" };

Deno.test("wrong types are a 400 naming the offending path, before any upstream call", async (t) => {
  const { handler, calls } = makeGateway({}, answer);
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["max_tokens string", simpleBody("kimi-k2.6", { max_tokens: "100" }), /^max_tokens: /],
    ["messages missing", { model: "kimi-k2.6", max_tokens: 10 }, /^messages: /],
    [
      "block type",
      simpleBody("kimi-k2.6", { messages: [{ role: "user", content: [{ type: "text", text: 5 }] }] }),
      /^messages\.0\.content/,
    ],
    [
      "role",
      simpleBody("kimi-k2.6", { messages: [{ role: "robot", content: "x" }] }),
      /^messages\.0\.role: /,
    ],
    ["temperature", simpleBody("kimi-k2.6", { temperature: 7 }), /^temperature: /],
    ["stream", simpleBody("kimi-k2.6", { stream: "yes" }), /^stream: /],
  ];
  for (const [name, body, path] of cases) {
    await t.step(name, async () => {
      const response = await handler(messagesRequest(body, KEY));
      assert.equal(response.status, 400);
      const json = await response.json();
      assert.equal(json.type, "error");
      assert.equal(json.error.type, "invalid_request_error");
      assert.match(json.error.message, path);
    });
  }
  assert.equal(calls.length, 0);
});

// Client saw: `messages: []` sent upstream (and retried) instead of Anthropic's local 400 "messages: at least
// one message is required".
Deno.test("an empty messages array is a 400 before any upstream call, as on Anthropic", async () => {
  const { handler, calls } = makeGateway({}, answer);
  const response = await handler(messagesRequest(simpleBody("kimi-k2.6", { messages: [] }), KEY));
  assert.equal(response.status, 400);
  const json = await response.json();
  assert.equal(json.error.type, "invalid_request_error");
  assert.equal(json.error.message, "messages: at least one message is required");
  assert.equal(calls.length, 0);
});

Deno.test("unknown extra fields are tolerated (forward compatibility)", async () => {
  const { handler } = makeGateway({}, answer);
  const body = simpleBody("kimi-k2.6", {
    brand_new_field: { nested: true },
    messages: [{ role: "user", content: [{ type: "text", text: "hi", future_flag: 1 }], extra: "x" }],
  });
  const response = await handler(messagesRequest(body, KEY));
  assert.equal(response.status, 200);
  await response.body?.cancel();
});

Deno.test("an OpenAI route answers bad input in OpenAI's error shape with the path in param", async () => {
  const { handler } = makeGateway({}, answer);
  const response = await handler(
    messagesRequest({ model: "kimi-k2.6", messages: "nope" }, { ...KEY, path: "/v1/chat/completions" }),
  );
  assert.equal(response.status, 400);
  const json = await response.json();
  assert.equal(json.error.type, "invalid_request_error");
  assert.equal(json.error.param, "messages");
});

Deno.test("malformed JSON is a 400", async () => {
  const { handler, calls } = makeGateway({}, answer);
  for (const body of ['{"model":', "[1,2]", "", "null", "\u0000"]) {
    const response = await handler(messagesRequest(body, KEY));
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.equal((await response.json()).error.type, "invalid_request_error");
  }
  assert.equal(calls.length, 0);
});

Deno.test("a body over BODY_LIMIT_BYTES is a 413 before it is fully read", async () => {
  const { handler, calls } = makeGateway({ BODY_LIMIT_BYTES: "1024" }, answer);
  // An endless body: only a limit enforced while reading can answer it.
  let pulled = 0;
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(256).fill(32));
    },
    cancel() {
      cancelled = true;
    },
  });
  const request = new Request("http://gateway.test/v1/messages", {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-client" },
    body: endless,
  });
  const response = await handler(request);
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error.type, "request_too_large");
  assert.ok(pulled <= 8, `read ${pulled} chunks`);
  assert.ok(cancelled, "the rest of the body is not read");
  const declared = await handler(
    messagesRequest("{}", { ...KEY, headers: { "content-length": String(10 * 1024 * 1024) } }),
  );
  assert.equal(declared.status, 413);
  await declared.body?.cancel();
  assert.equal(calls.length, 0);
});

Deno.test("the default body limit is 32 MiB", () => {
  const { config } = makeGateway({}, answer);
  assert.equal(config.BODY_LIMIT_BYTES, 32 * 1024 * 1024);
});

Deno.test("a wrong method is a 405 with Allow; an unknown path is a 404 in Anthropic's shape", async () => {
  const { handler } = makeGateway({}, answer);
  const wrongMethod = await handler(messagesRequest(undefined, { ...KEY, method: "PUT" }));
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("allow"), "POST");
  assert.equal((await wrongMethod.json()).type, "error");
  for (const path of ["/v2/messages", "/v1/nothing", "/go/x/y/v1/messages", "/../etc/passwd"]) {
    const response = await handler(messagesRequest(simpleBody(), { ...KEY, path }));
    assert.equal(response.status, 404, path);
    const json = await response.json();
    assert.equal(json.type, "error");
    assert.equal(json.error.type, "not_found_error");
  }
});

Deno.test("every response carries a request-id", async () => {
  const { handler } = makeGateway({}, answer);
  for (const request of [messagesRequest(simpleBody(), KEY), messagesRequest("{", KEY)]) {
    const response = await handler(request);
    assert.match(response.headers.get("request-id") ?? "", /^req_[0-9a-f]{24}$/);
    await response.body?.cancel();
  }
});

Deno.test("a malformed percent-escape in the model path was a plain-text 500 with no log line", async () => {
  // The client saw `500 Internal Server Error` (Deno's own, from `URIError: URI malformed`) and nothing was logged.
  const { handler, calls, logs } = makeGateway({ LOG_LEVEL: "info" }, answer);
  const messages = await handler(messagesRequest(simpleBody(), { ...KEY, path: "/go/%E0%A4%A/v1/messages" }));
  assert.equal(messages.status, 400);
  const json = await messages.json();
  assert.equal(json.type, "error");
  assert.equal(json.error.type, "invalid_request_error");
  assert.match(json.error.message, /"%E0%A4%A"/);
  const chat = await handler(
    messagesRequest({ model: "x", messages: [{ role: "user", content: "Hi" }] }, {
      ...KEY,
      path: "/go/%/v1/chat/completions",
    }),
  );
  assert.equal(chat.status, 400);
  const chatJson = await chat.json();
  assert.equal(chatJson.error.type, "invalid_request_error", "an OpenAI route answers in OpenAI's shape");
  assert.match(chatJson.error.message, /"%"/);
  assert.equal(calls.length, 0);
  const lines = logs.map((line) => JSON.parse(line)).filter((line) => line.status !== undefined);
  assert.deepEqual(lines.map((line) => line.status), [400, 400], "one request line each");
  assert.match(lines[0].error.message, /Malformed percent-encoding/);
});

Deno.test("a session hint that is no valid header value made the request a 500 before any upstream call", async () => {
  // The client saw `500 Internal gateway error` for a metadata session_id or prompt_cache_key with non-ASCII.
  const { handler, calls } = makeGateway({}, answer);
  const hinted = (session: string) =>
    simpleBody("kimi-k2.6", { stream: true, metadata: { user_id: JSON.stringify({ session_id: session }) } });
  for (const session of ["会话-1", "a\nb", "会话-1"]) {
    const response = await handler(messagesRequest(hinted(session), KEY));
    assert.equal(response.status, 200, JSON.stringify(session));
    await response.body?.cancel();
  }
  const chat = await handler(
    messagesRequest(
      {
        model: "kimi-k2.6",
        stream: true,
        prompt_cache_key: "ключ",
        messages: [{ role: "user", content: "Hi" }],
      },
      { ...KEY, path: "/v1/chat/completions" },
    ),
  );
  assert.equal(chat.status, 200);
  await chat.body?.cancel();
  const responses = await handler(
    messagesRequest({ model: "gpt-5.5", stream: true, prompt_cache_key: "ключ", input: "Hi" }, {
      ...KEY,
      path: "/v1/responses",
    }),
  );
  assert.equal(responses.status, 200);
  await responses.body?.cancel();
  const sessions = calls.map((call) => call.headers.get("x-opencode-session") ?? "");
  assert.equal(sessions.length, 5);
  for (const session of sessions) assert.match(session, /^ocb-[0-9a-f]{8}-s[0-9a-f]{32}$/);
  assert.equal(sessions[0], sessions[2], "stable per conversation");
  assert.notEqual(sessions[0], sessions[1]);
  assert.equal(
    sessions[3],
    sessions[4],
    "the same prompt_cache_key is the same session on both OpenAI routes",
  );
});
