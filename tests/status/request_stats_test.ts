import assert from "node:assert/strict";
import type { RequestRecord } from "../../lib/log/request_record.ts";
import { cacheReadShare, errorClass, RequestStats, routeLabel } from "../../lib/status/request_stats.ts";

function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: "req_1",
    method: "POST",
    path: "/v1/messages",
    startedAt: 0,
    status: 200,
    model: "kimi",
    upstreamModel: "kimi-k2.6",
    family: "openai-chat",
    service: "go",
    stream: true,
    retries: 0,
    secrets: ["sk-never-shown"],
    usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 300 },
    costUsd: 0.002,
    upstreamLatencyMs: 120,
    ...overrides,
  };
}

Deno.test("RequestStats counts per model: requests, errors by class, tokens, cache share, cost", () => {
  const stats = new RequestStats(0);
  stats.observe(record(), 900, 1_000);
  stats.observe(record({ costUsd: 0.003, retries: 2, fallback: "glm-5.1" }), 1_100, 2_000);
  stats.observe(
    record({
      status: 429,
      usage: undefined,
      costUsd: undefined,
      upstreamStatus: 429,
      error: {
        type: "GoUsageLimitError",
        message: "Weekly usage limit reached",
      },
    }),
    50,
    3_000,
  );
  const model = stats.models.get("go/kimi-k2.6")!;
  assert.equal(model.requests, 3);
  assert.deepEqual(model.errors, { GoUsageLimitError: 1 });
  assert.equal(model.inputTokens, 200);
  assert.equal(model.outputTokens, 40);
  assert.equal(model.cacheReadTokens, 600);
  assert.equal(cacheReadShare(model), 600 / 800);
  assert.equal(model.costedRequests, 2);
  assert.ok(Math.abs(model.costUsd - 0.005) < 1e-12);
  assert.equal(model.retries, 2);
  assert.equal(model.fallbacks, 1);
  assert.equal(stats.total, 3);
  assert.equal(stats.totalErrors, 1);
  assert.deepEqual([...stats.upstreamErrors.values()], [{
    service: "go",
    class: "GoUsageLimitError",
    count: 1,
  }]);
  const recent = stats.recent.at(-1)!;
  assert.equal(recent.status, 429);
  assert.equal(recent.error, "GoUsageLimitError");
  assert.equal(recent.time, new Date(3_000).toISOString());
  // A recent entry carries no message text, body or key.
  assert.ok(!JSON.stringify(stats.recent).includes("Weekly usage"));
  assert.ok(!JSON.stringify(stats.recent).includes("sk-never-shown"));
});

Deno.test("RequestStats stays bounded: 50 recent requests, capped models, series and error classes", () => {
  const stats = new RequestStats(0);
  for (let index = 0; index < 5_000; index++) {
    stats.observe(
      record({
        upstreamModel: `model-${index}`,
        path: `/go/model-${index}/v1/messages`,
        status: 400 + (index % 3),
        error: { type: `Class${index}`, message: "x" },
      }),
      10,
    );
  }
  assert.equal(stats.recent.length, 50);
  assert.ok(stats.models.size <= 201, `models ${stats.models.size}`);
  assert.ok(stats.series.size <= 2_001 + 3, `series ${stats.series.size}`);
  for (const model of stats.models.values()) assert.ok(Object.keys(model.errors).length <= 25);
  assert.equal(stats.models.get("go/other")!.requests, 5_000 - 200);
});

Deno.test("routeLabel drops the service prefix and model segment; errorClass keeps labels plain", () => {
  assert.equal(routeLabel("/go/kimi-k2.6/v1/messages"), "/v1/messages");
  assert.equal(routeLabel("/zen/v1/chat/completions"), "/v1/chat/completions");
  assert.equal(routeLabel("/v1/models/kimi-k2.6"), "/v1/models/{id}");
  assert.equal(routeLabel("/wp-admin/setup.php"), "other");
  assert.equal(errorClass("rate_limit_error"), "rate_limit_error");
  assert.equal(errorClass('bad"label\n'), "other");
  assert.equal(errorClass(undefined), "other");
});

Deno.test("RequestStats counts a streamed response as active until its body ends", async () => {
  const stats = new RequestStats(0);
  const done = Promise.withResolvers<void>();
  stats.trackStream(done.promise);
  assert.equal(stats.activeStreams, 1);
  done.resolve();
  await done.promise;
  await Promise.resolve();
  assert.equal(stats.activeStreams, 0);
});
