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
