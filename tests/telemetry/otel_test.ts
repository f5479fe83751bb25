/**
 * OpenTelemetry with Deno's built-in exporter: the real server (`deno run main.ts`) with OTEL_DENO=true sends
 * its spans over OTLP/HTTP JSON to a fake collector on loopback. A streamed request yields Deno's server span,
 * the gateway's request span under it, the upstream call's span under that (and Deno's fetch span under the
 * upstream one), with the GenAI semantic-convention attributes and no key anywhere.
 */
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startFakeCollector } from "../support/fake_otlp_collector.ts";
import { CHAT_COST, startFakeGo, until } from "../support/fake_status_upstream.ts";
import { startGatewayProcess } from "../support/gateway_process.ts";

const CLIENT_KEY = "sk-otel-client-key";

Deno.test("otel: request and upstream spans with GenAI attributes reach an OTLP collector", async () => {
  const collector = startFakeCollector();
  const go = startFakeGo();
  const gateway = await startGatewayProcess({
    OPENCODE_GO_URL: go.url,
    OPENCODE_ZEN_URL: go.url,
    MODELS_DEV_URL: `${go.url}/models-dev.json`,
    OTEL_DENO: "true",
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_SERVICE_NAME: "opencode-bridge-test",
    OTEL_BSP_SCHEDULE_DELAY: "100",
    OTEL_DENO_CONSOLE: "ignore",
  }, { timeoutMs: 60_000 });
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const message = await client.messages.stream({
      model: "kimi-k2.6",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    }).finalMessage();
    assert.equal(message.content[0].type, "text");
    await until(
      () => collector.spans.some((span) => span.name === "chat kimi-k2.6" && span.kind === 1),
      "the request span",
    );
    await until(
      () => collector.spans.some((span) => span.kind === 3 && span.name === "chat kimi-k2.6"),
      "upstream span",
    );

    const request = collector.spans.find((span) => span.name === "chat kimi-k2.6" && span.kind === 1)!;
    const upstream = collector.spans.find((span) => span.name === "chat kimi-k2.6" && span.kind === 3)!;
    assert.equal(request.service, "opencode-bridge-test");
    assert.equal(request.attributes["gen_ai.operation.name"], "chat");
    assert.equal(request.attributes["gen_ai.provider.name"], "opencode");
    assert.equal(request.attributes["gen_ai.system"], "opencode");
    assert.equal(request.attributes["gen_ai.request.model"], "kimi-k2.6");
    assert.equal(request.attributes["gen_ai.response.model"], "kimi-k2.6");
    assert.equal(request.attributes["gen_ai.usage.input_tokens"], 20);
    assert.equal(request.attributes["gen_ai.usage.output_tokens"], 7);
    assert.equal(request.attributes["gen_ai.usage.cache_read.input_tokens"], 100);
    assert.equal(request.attributes["opencode.cost_usd"], Number(CHAT_COST));
    assert.equal(request.attributes["opencode.service"], "go");
    assert.equal(request.attributes["opencode.family"], "openai-chat");
    assert.equal(request.attributes["http.route"], "/v1/messages");
    assert.equal(request.attributes["http.response.status_code"], 200);

    assert.equal(upstream.traceId, request.traceId);
    assert.equal(upstream.parentSpanId, request.spanId, "the upstream call is a child of the request");
    assert.equal(upstream.attributes["gen_ai.request.model"], "kimi-k2.6");
    assert.equal(upstream.attributes["gen_ai.response.model"], "kimi-k2.6");
    assert.equal(upstream.attributes["gen_ai.usage.output_tokens"], 7);
    assert.equal(upstream.attributes["server.address"], "127.0.0.1");
    assert.equal(upstream.attributes["http.response.status_code"], 200);

    // Deno's own spans frame ours: the incoming request above, the outgoing fetch below.
    await until(
      () => collector.spans.some((span) => span.spanId === request.parentSpanId),
      "Deno's server span",
    );
    assert.equal(collector.spans.find((span) => span.spanId === request.parentSpanId)!.kind, 2);
    await until(
      () => collector.spans.some((span) => span.parentSpanId === upstream.spanId),
      "Deno's fetch span",
    );

    assert.deepEqual(collector.rejected, []);
    const everything = JSON.stringify(collector.spans);
    assert.ok(!everything.includes(CLIENT_KEY), "no key in any span");
    assert.ok(!everything.includes("Hello there"), "no body text in any span");
  } finally {
    await gateway.stop();
    await go.close();
    await collector.close();
  }
});
