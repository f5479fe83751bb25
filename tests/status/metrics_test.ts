/** /metrics after real traffic, read back with a strict exposition-format parser. */
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { renderMetrics } from "../../lib/status/render_metrics.ts";
import { RequestStats } from "../../lib/status/request_stats.ts";
import { opencodeError, startFakeAnthropicUpstream } from "../support/fake_anthropic_upstream.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { CHAT_COST, startFakeGo, until } from "../support/fake_status_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { parsePrometheus, type Sample } from "../support/parse_prometheus.ts";
import { statusCatalog } from "../support/status_catalog.ts";

// Quote and backslash: a model id can carry them (a newline cannot: it would not fit a response header).
const ODD_MODEL = 'odd"model\\with-escapes';

function value(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((sample) =>
    sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted)
  )?.value;
}

Deno.test("metrics: requests, latency histograms, tokens, cost, upstream errors and streams parse as Prometheus text", async () => {
  const go = startFakeGo();
  const zen = startFakeAnthropicUpstream({
    script: () => opencodeError(429, "GoUsageLimitError", "Weekly usage limit reached. Resets in 5hr."),
  });
  const stats = new RequestStats();
  const catalog = statusCatalog([
    { id: "kimi-k2.6", family: "openai-chat" },
    { id: ODD_MODEL, family: "openai-chat" },
    { id: "minimax-m3", family: "anthropic", service: "zen", interleavedField: null },
  ], { go: go.url, zen: zen.url });
  const config = testConfig({ RETRIES: "0", OPENCODE_GO_URL: go.url, OPENCODE_ZEN_URL: zen.url });
  const gateway = serveGateway(testGateway(config, { catalog, stats, deployed: false }));
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key-metrics", maxRetries: 0 });
    const ask = (model: string) =>
      client.messages.stream({ model, max_tokens: 50, messages: [{ role: "user", content: "Hi" }] })
        .finalMessage();
    await ask("kimi-k2.6");
    await ask("kimi-k2.6");
    await ask(ODD_MODEL);
    await assert.rejects(ask("minimax-m3"), (error: Error & { status?: number }) => error.status === 429);
    await until(() => stats.total === 4, "four finished requests");

    const response = await fetch(`${gateway.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(await response.text());

    assert.equal(types.get("opencode_bridge_requests_total"), "counter");
    assert.equal(types.get("opencode_bridge_request_duration_seconds"), "histogram");
    assert.equal(types.get("opencode_bridge_upstream_duration_seconds"), "histogram");
    assert.equal(types.get("opencode_bridge_active_streams"), "gauge");
    const kimi = { service: "go", model: "kimi-k2.6" };
    assert.equal(
      value(samples, "opencode_bridge_requests_total", {
        route: "/v1/messages",
        ...kimi,
        family: "openai-chat",
        status: "200",
      }),
      2,
    );
    assert.equal(value(samples, "opencode_bridge_request_duration_seconds_count", kimi), 2);
    assert.equal(
      value(samples, "opencode_bridge_request_duration_seconds_bucket", { ...kimi, le: "+Inf" }),
      2,
    );
    assert.equal(value(samples, "opencode_bridge_upstream_duration_seconds_count", kimi), 2);
    assert.equal(value(samples, "opencode_bridge_tokens_total", { ...kimi, type: "input" }), 40);
    assert.equal(value(samples, "opencode_bridge_tokens_total", { ...kimi, type: "cache_read" }), 200);
    assert.equal(value(samples, "opencode_bridge_tokens_total", { ...kimi, type: "output" }), 14);
    assert.ok(
      Math.abs(value(samples, "opencode_bridge_cost_usd_total", kimi)! - 2 * Number(CHAT_COST)) < 1e-9,
    );
    assert.equal(
      value(samples, "opencode_bridge_upstream_errors_total", { service: "zen", class: "GoUsageLimitError" }),
      1,
    );
    assert.equal(
      value(samples, "opencode_bridge_request_errors_total", {
        service: "zen",
        model: "minimax-m3",
        class: "GoUsageLimitError",
      }),
      1,
    );
    assert.equal(value(samples, "opencode_bridge_active_streams", {}), 0);
    assert.equal(value(samples, "opencode_bridge_retries_total", kimi), 0);
    // A label value with a quote, a backslash and a newline survives the round trip.
    assert.equal(value(samples, "opencode_bridge_request_duration_seconds_count", { model: ODD_MODEL }), 1);
  } finally {
    await gateway.close();
    await go.close();
    await zen.close();
  }
});

Deno.test("metrics: a newline in a label value is escaped", () => {
  const stats = new RequestStats(0);
  stats.observe({
    id: "req_1",
    method: "POST",
    path: "/v1/messages",
    startedAt: 0,
    status: 502,
    upstreamModel: "line\nbreak",
    service: "go",
    family: "openai-chat",
    retries: 1,
    secrets: [],
    upstreamStatus: 502,
    error: { type: "api_error", message: "Upstream failed" },
  }, 5);
  const { samples } = parsePrometheus(renderMetrics(stats, "0.0.0-test", 10_000));
  assert.equal(value(samples, "opencode_bridge_retries_total", { model: "line\nbreak" }), 1);
  assert.equal(value(samples, "opencode_bridge_upstream_errors_total", { class: "api_error" }), 1);
  assert.equal(value(samples, "opencode_bridge_uptime_seconds", {}), 10);
});

Deno.test("parsePrometheus rejects what Prometheus would", async (t) => {
  const bad: Record<string, string> = {
    "sample without TYPE": "x_total 1\n",
    "bad escape": '# TYPE x counter\nx{a="\\q"} 1\n',
    "duplicate series": "# TYPE x counter\nx 1\nx 2\n",
    "missing +Inf": '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
    "no final newline": "# TYPE x counter\nx 1",
  };
  for (const [name, text] of Object.entries(bad)) {
    await t.step(name, () => assert.throws(() => parsePrometheus(text)));
  }
});
