// Timeouts: connect/first byte, idle stream and total each become the right client error, before the
// headers as a JSON error and after them as an `event: error`.
import * as assert from "node:assert/strict";
import {
  hangUntilAborted,
  makeGateway,
  messagesRequest,
  readSse,
  simpleBody,
  streamResponse,
} from "../support/reliability_harness.ts";
import { renderScript } from "../support/upstream_scripts.ts";

const started = renderScript("openai-chat", {
  parts: [{ kind: "text", chunks: ["Hi"] }],
  finish: "end",
  usage: { input: 1, output: 1 },
})
  .slice(0, 2);

Deno.test("connect timeout: an upstream that never answers becomes a 504 timeout_error, not retried", async () => {
  const { handler, calls } = makeGateway(
    { CONNECT_TIMEOUT_MS: "30" },
    (call) => hangUntilAborted(call.signal),
  );
  const before = performance.now();
  const response = await handler(messagesRequest(simpleBody(), { key: "sk-client" }));
  const elapsed = performance.now() - before;
  assert.equal(response.status, 504);
  const body = await response.json();
  assert.equal(body.type, "error");
  assert.equal(body.error.type, "timeout_error");
  assert.match(body.error.message, /did not answer within 30 ms/);
  assert.equal(calls.length, 1, "a connect timeout is not retried on the same model");
  assert.ok(elapsed < 500, `took ${elapsed} ms`);
});

Deno.test("idle timeout: a stream that goes silent ends with event: error timeout_error", async () => {
  let cancelled = false;
  const { handler } = makeGateway(
    { IDLE_TIMEOUT_MS: "40" },
    (call) => streamResponse(started, { hold: true, signal: call.signal, onCancel: () => cancelled = true }),
  );
  const response = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: "sk-client" }),
  );
  assert.equal(response.status, 200);
  const events = await readSse(response);
  assert.equal(events[0].type, "message_start");
  const last = events.at(-1) as { type: string; error: { type: string; message: string } };
  assert.equal(last.type, "error");
  assert.equal(last.error.type, "timeout_error");
  assert.match(last.error.message, /sent nothing for 40 ms/);
  // Cancelling the body is what closes a real upstream connection.
  assert.ok(cancelled, "the silent upstream body is cancelled");
});

Deno.test("idle timeout: a non-streaming call that goes silent is a 504", async () => {
  const { handler } = makeGateway(
    { IDLE_TIMEOUT_MS: "40" },
    (call) => streamResponse(started, { hold: true, signal: call.signal }),
  );
  const response = await handler(messagesRequest(simpleBody(), { key: "sk-client" }));
  assert.equal(response.status, 504);
  assert.equal((await response.json()).error.type, "timeout_error");
});

Deno.test("total timeout: a stream that trickles forever is cut with event: error timeout_error", async () => {
  const { handler, calls } = makeGateway({ TOTAL_TIMEOUT_MS: "80", IDLE_TIMEOUT_MS: "1000" }, (call) => {
    // Keeps sending keep-alive comments, so only the total limit can end it.
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent < started.length) {
          controller.enqueue(encoder.encode(started[sent++]));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (call.signal.aborted) controller.error(call.signal.reason);
        else controller.enqueue(encoder.encode(": keep-alive\n\n"));
      },
    }, { highWaterMark: 0 });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  const before = performance.now();
  const response = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: "sk-client" }),
  );
  const events = await readSse(response);
  const elapsed = performance.now() - before;
  const last = events.at(-1) as { type: string; error: { type: string; message: string } };
  assert.equal(last.type, "error");
  assert.equal(last.error.type, "timeout_error");
  assert.match(last.error.message, /total time limit/);
  assert.ok(elapsed >= 75 && elapsed < 1000, `took ${elapsed} ms`);
  assert.ok(calls[0].signal.aborted);
});

Deno.test("total timeout while waiting for headers is a 504 that names the total limit", async () => {
  const { handler } = makeGateway(
    { TOTAL_TIMEOUT_MS: "30", CONNECT_TIMEOUT_MS: "1000" },
    (call) => hangUntilAborted(call.signal),
  );
  const response = await handler(messagesRequest(simpleBody(), { key: "sk-client" }));
  assert.equal(response.status, 504);
  assert.match((await response.json()).error.message, /total time limit/);
});

Deno.test("default idle timeout is at least Claude Code's own 300 s stream watchdog", async () => {
  const { config } = makeGateway({ IDLE_TIMEOUT_MS: "" }, () => new Response());
  assert.ok(config.IDLE_TIMEOUT_MS >= 300_000);
  await Promise.resolve();
});

/** A chat/responses client's `stream: false` request at `path` (the Chat and Responses pass-throughs). */
function nonStreamPassthrough(path: string, body: Record<string, unknown>): Request {
  return messagesRequest(body, { path, headers: { authorization: "Bearer sk-client" } });
}

/** Answers `json` after `delayMs`, as a non-streaming upstream does once generation is done. */
function answerAfter(delayMs: number, signal: AbortSignal, json: Record<string, unknown>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(Response.json(json)), delayMs);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

const chatAnswer = {
  id: "chatcmpl-1",
  object: "chat.completion",
  model: "kimi-k2.6",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
};

Deno.test("chat pass-through: a non-stream answer slower than CONNECT_TIMEOUT_MS was a 504 and a paid fallback", async () => {
  // The client saw `504 Upstream did not answer within 30 ms` while a fallback request was being paid for.
  const { handler, calls } = makeGateway(
    { CONNECT_TIMEOUT_MS: "30", MODEL_FALLBACKS: "kimi-k2.6=glm-5.1" },
    (call) => answerAfter(120, call.signal, chatAnswer),
  );
  const response = await handler(
    nonStreamPassthrough("/v1/chat/completions", {
      model: "kimi-k2.6",
      messages: [{ role: "user", content: "Hi" }],
    }),
  );
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.choices[0].message.content, "ok");
  assert.equal(calls.length, 1, "one upstream request: no retry, no fallback");
  assert.notEqual(calls[0].body?.stream, true, "the pass-through really was non-streaming upstream");
  assert.equal(response.headers.get("x-opencode-fallback"), null);
});

Deno.test("responses pass-through: a non-stream answer slower than CONNECT_TIMEOUT_MS was a 504", async () => {
  // The client saw `504 Upstream did not answer within 30 ms` for a long Responses answer.
  const { handler, calls } = makeGateway(
    { CONNECT_TIMEOUT_MS: "30" },
    (call) =>
      answerAfter(120, call.signal, {
        id: "resp_1",
        object: "response",
        model: "gpt-5.5",
        status: "completed",
        output: [],
      }),
  );
  const response = await handler(
    nonStreamPassthrough("/zen/v1/responses", { model: "gpt-5.5", input: "Hi" }),
  );
  assert.equal(response.status, 200);
  assert.equal((await response.json()).id, "resp_1");
  assert.equal(calls.length, 1);
});

Deno.test("non-stream pass-through that never answers still ends at the total limit (504)", async () => {
  const { handler, calls } = makeGateway(
    { CONNECT_TIMEOUT_MS: "20", TOTAL_TIMEOUT_MS: "150" },
    (call) => hangUntilAborted(call.signal),
  );
  const before = performance.now();
  const response = await handler(
    nonStreamPassthrough("/v1/chat/completions", {
      model: "kimi-k2.6",
      messages: [{ role: "user", content: "Hi" }],
    }),
  );
  const elapsed = performance.now() - before;
  assert.equal(response.status, 504);
  assert.match((await response.json()).error.message, /total time limit/);
  assert.equal(calls.length, 1);
  assert.ok(elapsed >= 140 && elapsed < 2000, `took ${elapsed} ms`);
});

Deno.test("streamed pass-through still waits only CONNECT_TIMEOUT_MS for headers", async () => {
  const { handler } = makeGateway(
    { CONNECT_TIMEOUT_MS: "30", TOTAL_TIMEOUT_MS: "5000" },
    (call) => hangUntilAborted(call.signal),
  );
  const before = performance.now();
  const response = await handler(
    nonStreamPassthrough("/v1/chat/completions", {
      model: "kimi-k2.6",
      stream: true,
      messages: [{ role: "user", content: "Hi" }],
    }),
  );
  assert.equal(response.status, 504);
  assert.match((await response.json()).error.message, /did not answer within 30 ms/);
  assert.ok(performance.now() - before < 1000);
});

Deno.test("upstream error whose body stalls held the client until TOTAL_TIMEOUT_MS", async () => {
  // The client waited the whole total limit (3 s in the report) for a 503 whose body never finished.
  let cancelled = false;
  const { handler } = makeGateway(
    { CONNECT_TIMEOUT_MS: "40", TOTAL_TIMEOUT_MS: "5000", RETRIES: "0" },
    (call) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"error":'));
            call.signal.addEventListener("abort", () => controller.error(call.signal.reason));
          },
          cancel() {
            cancelled = true;
          },
        }),
        { status: 503 },
      ),
  );
  const before = performance.now();
  const response = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: "sk-client" }),
  );
  const elapsed = performance.now() - before;
  assert.equal(response.status, 529, "the upstream's 503 is still mapped");
  const body = await response.json();
  assert.equal(body.error.type, "overloaded_error");
  assert.match(body.error.message, /Upstream returned HTTP 503/);
  assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  assert.ok(cancelled, "the stalled error body is cancelled");
});

Deno.test("upstream error with an endless body was read without limit", async () => {
  // The client waited on (and the gateway buffered) an error body that never ended.
  let sent = 0;
  let cancelled = false;
  const { handler } = makeGateway(
    { CONNECT_TIMEOUT_MS: "5000", TOTAL_TIMEOUT_MS: "10000", RETRIES: "0" },
    () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            sent += 4096;
            controller.enqueue(new TextEncoder().encode("x".repeat(4096)));
          },
          cancel() {
            cancelled = true;
          },
        }),
        { status: 500 },
      ),
  );
  const response = await handler(messagesRequest(simpleBody(), { key: "sk-client" }));
  // An upstream 500 is the upstream's fault: 502, never the 500 that means a gateway bug.
  assert.equal(response.status, 502);
  const body = await response.json();
  assert.equal(body.error.type, "api_error");
  assert.ok(body.error.message.length <= 500);
  assert.ok(cancelled, "the rest of the body is cancelled");
  assert.ok(sent < 256 * 1024, `read ${sent} bytes`);
});
