import * as assert from "node:assert/strict";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { UpstreamError } from "../../lib/upstream/fetch_upstream.ts";
import {
  backoffDelay,
  parseRetryAfter,
  retryDecision,
  type RetryPolicy,
  sleep,
} from "../../lib/upstream/retry_policy.ts";

const policy: RetryPolicy = { retries: 2, baseDelayMs: 100, capMs: 1_000, random: () => 0.5 };
const http = (status: number, retryAfter?: string) =>
  new UpstreamError(new GatewayError("api_error", "x", { retryAfter }), "http", status);

Deno.test("retryDecision retries connection failures, 5xx and 529 and nothing else", async (t) => {
  const cases: [string, GatewayError, number, string][] = [
    ["connect", new UpstreamError(new GatewayError("api_error", "reset"), "connect"), 0, "retry"],
    ["500", http(500), 0, "retry"],
    ["502", http(502), 1, "retry"],
    ["529", http(529), 0, "retry"],
    ["budget spent", http(503), 2, "fallback"],
    [
      "connect timeout",
      new UpstreamError(new GatewayError("timeout_error", "slow"), "timeout"),
      0,
      "fallback",
    ],
    ["client gone", new UpstreamError(new GatewayError("api_error", "gone"), "aborted"), 0, "fail"],
    ["400", http(400), 0, "fail"],
    ["401", http(401), 0, "fail"],
    ["429", http(429, "1"), 0, "fail"],
    ["not an upstream error", new GatewayError("api_error", "ours"), 0, "fail"],
    ["retry-after over the cap", http(503, "5"), 0, "fallback"],
  ];
  for (const [name, error, attempt, action] of cases) {
    await t.step(name, () => assert.equal(retryDecision(error, attempt, policy).action, action));
  }
});

Deno.test("retryDecision waits for retry-after when it is longer than the backoff", () => {
  assert.deepEqual(retryDecision(http(503, "0.5"), 0, policy), { action: "retry", delayMs: 500 });
  assert.deepEqual(retryDecision(http(503, "0.01"), 0, policy), { action: "retry", delayMs: 75 });
});

Deno.test("backoffDelay doubles per attempt, stays under the cap and jitters between half and all", () => {
  const low = { ...policy, random: () => 0 };
  const high = { ...policy, random: () => 0.999999 };
  assert.deepEqual([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, low)), [50, 100, 200, 400, 500]);
  assert.deepEqual([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, high)), [100, 200, 400, 800, 1000]);
});

Deno.test("parseRetryAfter reads seconds and HTTP dates", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");
  assert.equal(parseRetryAfter("3", now), 3000);
  assert.equal(parseRetryAfter("0.25", now), 250);
  assert.equal(parseRetryAfter("Sat, 21 Nov 2026 12:00:10 GMT", now), 10_000);
  assert.equal(parseRetryAfter("Sat, 21 Nov 2026 11:00:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

Deno.test("sleep rejects at once when the signal aborts", async () => {
  const controller = new AbortController();
  const pending = sleep(10_000, controller.signal);
  controller.abort(new Error("gone"));
  await assert.rejects(pending, /gone/);
  await assert.rejects(sleep(1, controller.signal), /gone/);
});
