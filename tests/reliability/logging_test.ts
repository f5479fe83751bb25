// Structured logs: one JSON line per request with id, route, model, family, upstream status, latency, usage
// and retries; keys never appear, even when a client or upstream echoes them; bodies only with LOG_BODIES,
// truncated, with images and keys redacted.
import * as assert from "node:assert/strict";
import { createLogger } from "../../lib/log/logger.ts";
import { redactValue, scrubSecrets } from "../../lib/log/redact.ts";
import { testGateway } from "../support/log_tap.ts";
import { parseConfig } from "../../lib/config.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import {
  fakeFetch,
  familyOfUrl,
  GO_URL,
  makeGateway,
  messagesRequest,
  opencodeError,
  readSse,
  reliabilityModels,
  scriptedAnswer,
  simpleBody,
  TEST_SETTINGS,
  waitFor,
  ZEN_URL,
} from "../support/reliability_harness.ts";

const GATEWAY_KEY = "gwk-LOGTEST-7f3a9c1e5b";
const UPSTREAM_KEY = "sk-oc-LOGTEST-upstream-0d9e8f7a6b5c";
const CLIENT_KEY = "sk-oc-LOGTEST-client-1a2b3c4d5e6f";
const ALL_KEYS = [GATEWAY_KEY, UPSTREAM_KEY, CLIENT_KEY];

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

function assertNoKeys(logs: string[]) {
  for (const line of logs) {
    for (const key of ALL_KEYS) {
      assert.ok(!line.includes(key), `key ${key.slice(0, 10)}… leaked in: ${line.slice(0, 300)}`);
      // Partial leaks too: any 12-character window of the key.
      for (let start = 0; start + 12 <= key.length; start += 4) {
        assert.ok(
          !line.includes(key.slice(start, start + 12)),
          `part of a key leaked in: ${line.slice(0, 300)}`,
        );
      }
    }
  }
}

Deno.test("one JSON line per request with the request's facts", async () => {
  const { handler, logs } = makeGateway(
    { LOG_LEVEL: "info" },
    (call, index) =>
      index === 0 ? opencodeError(503, "error", "busy") : scriptedAnswer(familyOfUrl(call.url)),
  );
  const response = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: CLIENT_KEY }),
  );
  await readSse(response);
  await waitFor(() => logs.length === 1);
  const line = parse(logs[0]);
  assert.equal(line.level, "info");
  assert.equal(line.msg, "request");
  assert.equal(line.request_id, response.headers.get("request-id"));
  assert.equal(line.method, "POST");
  assert.equal(line.route, "/v1/messages");
  assert.equal(line.status, 200);
  assert.equal(line.model, "kimi-k2.6");
  assert.equal(line.upstream_model, "kimi-k2.6");
  assert.equal(line.family, "openai-chat");
  assert.equal(line.service, "go");
  assert.equal(line.stream, true);
  assert.equal(line.upstream_status, 200);
  assert.equal(line.retries, 1);
  const usage = line.usage as Record<string, number>;
  assert.equal(usage.input_tokens, 12);
  assert.equal(usage.output_tokens, 3);
  assert.equal(typeof line.latency_ms, "number");
  assert.equal(typeof line.upstream_latency_ms, "number");
  assert.ok(!("request_body" in line), "no bodies without LOG_BODIES");
});

Deno.test("errors are logged at warn/error with the error, and LOG_LEVEL filters", async () => {
  const { handler, logs } = makeGateway({ LOG_LEVEL: "warn" }, () => opencodeError(500, "error", "boom"));
  await (await handler(messagesRequest(simpleBody(), { key: CLIENT_KEY }))).body?.cancel();
  await (await handler(messagesRequest("{", { key: CLIENT_KEY }))).body?.cancel();
  await (await handler(new Request("http://gateway.test/api/hello"))).body?.cancel();
  assert.equal(logs.length, 2, "the 200 health check is below warn");
  const [upstreamFailure, badJson] = logs.map(parse);
  assert.equal(upstreamFailure.level, "error");
  assert.equal(upstreamFailure.upstream_status, 500);
  assert.deepEqual((upstreamFailure.error as { type: string }).type, "api_error");
  assert.equal(badJson.level, "warn");
  assert.equal(badJson.status, 400);
  assert.match((badJson.error as { message: string }).message, /not valid JSON/);
});

Deno.test("keys never appear in the logs of a full run of scenarios, bodies included", async () => {
  const image = "iVBORw0KGgo".repeat(200);
  const leakyBody = simpleBody("kimi-k2.6", {
    system: `You are helpful. My key is ${CLIENT_KEY}.`,
    metadata: { user_id: "u1", api_key: UPSTREAM_KEY },
    messages: [{
      role: "user",
      content: [
        { type: "text", text: `Use Authorization: Bearer ${GATEWAY_KEY}` },
        { type: "image", source: { type: "base64", media_type: "image/png", data: image } },
        { type: "text", text: `data:image/png;base64,${image}` },
      ],
    }],
  });
  const respond = (call: { url: string; headers: Headers }, index: number) => {
    // Upstreams that echo what they were sent, keys included.
    const sent = call.headers.get("authorization") ?? "";
    if (index % 3 === 0) return opencodeError(401, "AuthError", `Invalid key: ${sent}`);
    if (index % 3 === 1) return new Response(`upstream says ${sent} is bad`, { status: 502 });
    return scriptedAnswer(familyOfUrl(call.url));
  };
  const all: string[] = [];
  for (const settings of [{ LOG_BODIES: "1" }, { LOG_BODIES: "0" }]) {
    const zeroConfig = makeGateway({ ...settings, RETRIES: "0" }, respond);
    const guarded = makeGateway({
      ...settings,
      RETRIES: "0",
      GATEWAY_KEYS: `other-key-0123456789,${GATEWAY_KEY}`,
      OPENCODE_API_KEY: UPSTREAM_KEY,
    }, respond);
    const requests: [typeof zeroConfig, Request][] = [];
    for (let round = 0; round < 3; round++) {
      for (const stream of [false, true]) {
        const body = { ...leakyBody, stream };
        requests.push([zeroConfig, messagesRequest(body, { key: CLIENT_KEY })]);
        requests.push([
          zeroConfig,
          messagesRequest(body, { headers: { authorization: `Bearer ${CLIENT_KEY}` } }),
        ]);
        requests.push([guarded, messagesRequest(body, { key: GATEWAY_KEY })]);
        requests.push([
          guarded,
          messagesRequest(body, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } }),
        ]);
        requests.push([guarded, messagesRequest(body, { key: CLIENT_KEY })]);
        requests.push([zeroConfig, messagesRequest(`{"broken": "${CLIENT_KEY}`, { key: CLIENT_KEY })]);
      }
    }
    for (const [harness, request] of requests) {
      const response = await harness.handler(request);
      await response.text();
    }
    await waitFor(() => zeroConfig.logs.length + guarded.logs.length === requests.length);
    all.push(...zeroConfig.logs, ...guarded.logs);
  }
  assert.ok(all.length >= 72);
  assertNoKeys(all);
  const withBody = all.map(parse).find((line) => line.request_body !== undefined && line.status === 200);
  assert.ok(withBody, "LOG_BODIES logs request bodies");
  const text = JSON.stringify(withBody.request_body);
  assert.ok(!text.includes(image), "image data is redacted");
  assert.match(text, /\[base64 \d+ chars\]/);
  assert.ok(text.length < 20_000);
});

Deno.test("redaction helpers: key-like strings, secret fields, base64 and long strings", () => {
  assert.equal(scrubSecrets("x sk-abcdefghijklmnop y", []), "x [redacted] y");
  assert.equal(scrubSecrets("AIzaSyA-1234567890abcdefghijk", []), "[redacted]");
  assert.equal(scrubSecrets("mine: hunter2-secret", ["hunter2-secret"]), "mine: [redacted]");
  const value = redactValue({
    max_tokens: 10,
    input_tokens: 5,
    api_key: "abc",
    headers: { Authorization: "Bearer x", "x-api-key": "y" },
    text: "hello world ".repeat(500),
    source: { type: "base64", media_type: "image/png", data: "AAAA" },
  }, { secrets: [] }) as Record<string, unknown>;
  assert.equal(value.max_tokens, 10);
  assert.equal(value.input_tokens, 5);
  assert.equal(value.api_key, "[redacted]");
  assert.deepEqual(value.headers, { Authorization: "[redacted]", "x-api-key": "[redacted]" });
  assert.match(value.text as string, /…\[5000 more chars\]$/);
  assert.deepEqual(value.source, { type: "base64", media_type: "image/png", data: "[base64 4 chars]" });
});

Deno.test("a broken log sink never fails a request", async () => {
  let attempts = 0;
  const brokenSink = () => {
    attempts++;
    throw new Error("stderr closed");
  };
  const logger = createLogger(
    { LOG_LEVEL: "info", LOG_BODIES: false, OPENCODE_API_KEY: undefined, GATEWAY_KEYS: undefined },
    brokenSink,
  );
  assert.doesNotThrow(() => logger.log("info", "still fine"));
  assert.equal(attempts, 1);

  // Through the gateway: every request line hits the throwing sink, and each answer is still right.
  const config = parseConfig({ ...TEST_SETTINGS, LOG_LEVEL: "debug", RETRIES: "0" });
  const { fetch } = fakeFetch((call, index) =>
    index === 2 ? opencodeError(500, "error", "boom") : scriptedAnswer(familyOfUrl(call.url))
  );
  // testGateway hands each line to the run's log tap before the throwing sink sees it.
  const handler = testGateway(config, {
    fetch,
    catalog: fakeCatalog(reliabilityModels, { go: GO_URL, zen: ZEN_URL }),
    log: brokenSink,
  });
  const streamed = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { stream: true }), { key: CLIENT_KEY }),
  );
  assert.equal(streamed.status, 200);
  const events = await readSse(streamed);
  const text = events.filter((event) => event.type === "content_block_delta")
    .map((event) => (event.delta as { text: string }).text).join("");
  assert.equal(text, "Hello world");
  assert.equal(events.at(-1)?.type, "message_stop");

  const whole = await handler(messagesRequest(simpleBody("kimi-k2.6"), { key: CLIENT_KEY }));
  assert.equal(whole.status, 200);
  const message = await whole.json();
  assert.deepEqual(message.content, [{ type: "text", text: "Hello world" }]);

  const failed = await handler(
    messagesRequest(simpleBody("kimi-k2.6", { max_tokens: 5 }), { key: CLIENT_KEY }),
  );
  assert.equal(failed.status, 502);
  assert.equal((await failed.json()).error.type, "api_error");
  // The three request lines reached the sink (and threw) too.
  await waitFor(() => attempts >= 4, 10_000);
});
