// A client that goes away aborts the upstream fetch within 100 ms: while waiting for upstream headers,
// while streaming, while a non-streaming answer is being collected, and during a retry backoff; also
// over real sockets, where the disconnect is a closed TCP connection.
import * as assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway, startFakeUpstream } from "../support/fake_upstream.ts";
import {
  hangUntilAborted,
  makeGateway,
  messagesRequest,
  opencodeError,
  simpleBody,
  streamResponse,
  TEST_SETTINGS,
  waitFor,
} from "../support/reliability_harness.ts";
import { renderScript } from "../support/upstream_scripts.ts";

const LIMIT_MS = 100;
const firstFrames = renderScript("openai-chat", {
  parts: [{ kind: "text", chunks: ["Hi"] }],
  finish: "end",
  usage: { input: 1, output: 1 },
}).slice(0, 2);

Deno.test("disconnect while waiting for upstream headers aborts the upstream fetch within 100 ms", async () => {
  const { handler, calls } = makeGateway(
    { CONNECT_TIMEOUT_MS: "10000" },
    (call) => hangUntilAborted(call.signal),
  );
  const client = new AbortController();
  const pending = handler(messagesRequest(simpleBody(), { key: "sk-c", signal: client.signal }));
  await waitFor(() => calls.length === 1);
  const abortedAt = performance.now();
  client.abort();
  await pending;
  await waitFor(() => calls[0].abortedAt !== undefined, LIMIT_MS);
  const delay = calls[0].abortedAt! - abortedAt;
  assert.ok(delay < LIMIT_MS, `upstream aborted ${delay} ms after the client left`);
});

Deno.test("disconnect mid-stream (reader cancelled) aborts the upstream fetch within 100 ms", async () => {
  const { handler, calls } = makeGateway(
    { IDLE_TIMEOUT_MS: "10000" },
    (call) => streamResponse(firstFrames, { hold: true, signal: call.signal }),
  );
  const response = await handler(messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: "sk-c" }));
  const reader = response.body!.getReader();
  await reader.read();
  const abortedAt = performance.now();
  await reader.cancel();
  await waitFor(() => calls[0].abortedAt !== undefined, LIMIT_MS);
  assert.ok(calls[0].abortedAt! - abortedAt < LIMIT_MS);
});

Deno.test("disconnect mid-stream (request signal) aborts the upstream fetch within 100 ms", async () => {
  const { handler, calls } = makeGateway(
    { IDLE_TIMEOUT_MS: "10000" },
    (call) => streamResponse(firstFrames, { hold: true, signal: call.signal }),
  );
  const client = new AbortController();
  const response = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: "sk-c", signal: client.signal }),
  );
  const reader = response.body!.getReader();
  await reader.read();
  const abortedAt = performance.now();
  client.abort();
  await waitFor(() => calls[0].abortedAt !== undefined, LIMIT_MS);
  assert.ok(calls[0].abortedAt! - abortedAt < LIMIT_MS);
  await reader.cancel().catch(() => {});
});

Deno.test("disconnect while a non-streaming answer is collected aborts the upstream within 100 ms", async () => {
  const { handler, calls } = makeGateway(
    { IDLE_TIMEOUT_MS: "10000" },
    (call) => streamResponse(firstFrames, { hold: true, signal: call.signal }),
  );
  const client = new AbortController();
  const pending = handler(messagesRequest(simpleBody(), { key: "sk-c", signal: client.signal }));
  await waitFor(() => calls.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const abortedAt = performance.now();
  client.abort();
  await waitFor(() => calls[0].abortedAt !== undefined, LIMIT_MS);
  assert.ok(calls[0].abortedAt! - abortedAt < LIMIT_MS);
  await (await pending).body?.cancel();
});

Deno.test("disconnect during a retry backoff stops: no further upstream attempt", async () => {
  const { handler, calls } = makeGateway(
    { RETRY_AFTER_CAP_MS: "5000", RETRY_BASE_DELAY_MS: "5000" },
    () => opencodeError(503, "error", "busy"),
  );
  const client = new AbortController();
  const pending = handler(messagesRequest(simpleBody(), { key: "sk-c", signal: client.signal }));
  await waitFor(() => calls.length === 1);
  const before = performance.now();
  client.abort();
  await (await pending).body?.cancel();
  assert.ok(performance.now() - before < LIMIT_MS, "the backoff sleep is interrupted at once");
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(calls.length, 1);
});

Deno.test("over real sockets: a client that closes the connection aborts the upstream request within 100 ms", async (t) => {
  let upstreamAbortedAt: number | undefined;
  let upstreamStarted = false;
  const upstream = startFakeUpstream((_request, signal) => {
    upstreamStarted = true;
    signal.addEventListener("abort", () => upstreamAbortedAt = performance.now(), { once: true });
    // Headers go out at once; the body then stays silent, as a model thinking for a long time does.
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent < firstFrames.length) controller.enqueue(encoder.encode(firstFrames[sent++]));
        else await hangUntilAborted(signal).catch(() => controller.close());
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  const config = testConfig({ ...TEST_SETTINGS, IDLE_TIMEOUT_MS: "10000" });
  const catalog = fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: upstream.url });
  const gateway = serveGateway(testGateway(config, { catalog }));
  try {
    for (const stream of [true, false]) {
      await t.step(stream ? "streaming" : "non-streaming", async () => {
        upstreamAbortedAt = undefined;
        upstreamStarted = false;
        const client = new AbortController();
        const pending = fetch(`${gateway.url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "sk-socket" },
          body: JSON.stringify(simpleBody("kimi-k2.6", { stream })),
          signal: client.signal,
        });
        if (stream) {
          const response = await pending;
          await response.body!.getReader().read();
        } else {
          pending.catch(() => {});
          await waitFor(() => upstreamStarted, 2_000);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const abortedAt = performance.now();
        client.abort();
        await waitFor(() => upstreamAbortedAt !== undefined, 1_000);
        const delay = upstreamAbortedAt! - abortedAt;
        assert.ok(delay < LIMIT_MS, `upstream aborted ${delay.toFixed(1)} ms after the client left`);
        await pending.then((response) => response.body?.cancel()).catch(() => {});
      });
    }
  } finally {
    await gateway.close();
    await upstream.close();
  }
});
