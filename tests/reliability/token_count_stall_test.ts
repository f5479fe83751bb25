/**
 * Issue 16, tokenizer: 200 KB without a word break once froze the whole gateway for 10–12 s. Driven against the
 * real server over sockets while a probe asks `GET /api/hello` back to back: the event loop must never stall
 * more than 200 ms beyond the probe's own idle round trip, and the answer must still be a count (or the
 * upstream's answer for /v1/messages).
 */
import assert from "node:assert/strict";
import { measureStall, startGatewayProcess } from "../support/gateway_process.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

const oneLetter = "a".repeat(200 * 1024);
// No two 1 KB pieces alike, so no cached merge helps: the tokenizer's worst case.
let seed = 7;
const noBreaks = Array.from({ length: 200 * 1024 }, () => {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return String.fromCharCode(97 + (seed >>> 16) % 26);
}).join("");

Deno.test("200 KB without word breaks is counted without stalling the gateway", async (t) => {
  const upstream = startFakeUpstream((request) => {
    if (request.path === "/models") return Response.json({ data: [{ id: "kimi-k2.6" }] });
    if (request.path !== "/chat/completions") return new Response("not here", { status: 404 });
    const frames = [
      { choices: [{ index: 0, delta: { role: "assistant", content: "ok" }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
      { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    ].map((frame) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", ...frame })}\n\n`);
    return new Response(frames.join("") + "data: [DONE]\n\n", {
      headers: { "content-type": "text/event-stream" },
    });
  });
  const gateway = await startGatewayProcess({
    OPENCODE_API_KEY: "test-key-for-stall-probe",
    OPENCODE_GO_URL: upstream.url,
    OPENCODE_ZEN_URL: `${upstream.url}/zen`,
    MODELS_DEV_URL: `${upstream.url}/api.json`,
    LOG_LEVEL: "info",
  });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  };
  try {
    // The tables load once per process (about 0.1 s); the per-request cost is what must stay bounded.
    const warm = await post("/v1/messages/count_tokens", {
      model: "kimi-k2.6",
      messages: [{ role: "user", content: "hello" }],
    });
    assert.equal(warm.status, 200);
    // The probe's own worst round trip on this (shared, loaded) machine with the gateway idle: a stall is
    // what the count adds on top of it.
    const { stall: idle } = await measureStall(
      gateway.url,
      () => new Promise((resolve) => setTimeout(resolve, 1_000)),
    );
    const limitMs = 200 + idle.maxMs;
    for (const [name, text] of [["one letter", oneLetter], ["no word breaks", noBreaks]] as const) {
      await t.step(`count_tokens, ${name}`, async () => {
        const { result, stall } = await measureStall(
          gateway.url,
          () =>
            post("/v1/messages/count_tokens", {
              model: "kimi-k2.6",
              messages: [{ role: "user", content: text }],
            }),
        );
        assert.equal(result.status, 200, JSON.stringify(result.json));
        assert.ok(
          result.json.input_tokens > 1_000 && result.json.input_tokens <= text.length,
          JSON.stringify(result.json),
        );
        assert.equal(stall.failures, 0);
        assert.ok(
          stall.maxMs < limitMs,
          `the event loop stalled ${stall.maxMs.toFixed(0)} ms (idle probe ${idle.maxMs.toFixed(0)})`,
        );
      });
    }
    await t.step("/v1/messages near the context limit counts the same way", async () => {
      // 240 KB plus the output limit exceed the 262,144-token window by the byte ceiling: the count decides.
      const { result, stall } = await measureStall(gateway.url, () =>
        post("/v1/messages", {
          model: "kimi-k2.6",
          max_tokens: 65_536,
          // Reversed, so none of the pieces counted above is in the tokenizer's cache.
          messages: [{
            role: "user",
            content: [...noBreaks, ...noBreaks.slice(0, 40 * 1024)].reverse().join(""),
          }],
        }));
      assert.equal(result.status, 200, JSON.stringify(result.json));
      assert.equal(result.json.content[0].text, "ok");
      assert.ok(
        stall.maxMs < limitMs,
        `the event loop stalled ${stall.maxMs.toFixed(0)} ms (idle probe ${idle.maxMs.toFixed(0)})`,
      );
    });
  } finally {
    await gateway.stop();
    await upstream.close();
  }
});
