import assert from "node:assert/strict";
import { LATENCY_BOUNDS_MS, LatencyHistogram } from "../../lib/status/latency_histogram.ts";

Deno.test("LatencyHistogram estimates p50 and p95 within the bucket that holds them", () => {
  const histogram = new LatencyHistogram();
  assert.equal(histogram.quantile(0.5), undefined);
  // 90 fast requests (40 ms, bucket 25–50) and 10 slow ones (4 s, bucket 2.5–5 s).
  for (let index = 0; index < 90; index++) histogram.observe(40);
  for (let index = 0; index < 10; index++) histogram.observe(4_000);
  const p50 = histogram.quantile(0.5)!;
  const p95 = histogram.quantile(0.95)!;
  assert.ok(p50 > 25 && p50 <= 50, `p50 ${p50}`);
  assert.ok(p95 > 2_500 && p95 <= 5_000, `p95 ${p95}`);
  assert.equal(histogram.count, 100);
  assert.equal(histogram.sumMs, 90 * 40 + 10 * 4_000);
});

Deno.test("LatencyHistogram keeps a fixed size whatever it sees, and caps quantiles at the last bound", () => {
  const histogram = new LatencyHistogram();
  for (let index = 0; index < 10_000; index++) histogram.observe(index * 97);
  histogram.observe(-5);
  assert.equal(histogram.counts.length, LATENCY_BOUNDS_MS.length + 1);
  assert.equal(histogram.counts.reduce((sum, count) => sum + count, 0), 10_001);
  const top = new LatencyHistogram();
  top.observe(10_000_000);
  assert.equal(top.quantile(0.99), 10_000_000, "one value: the estimate is that value");
  const one = new LatencyHistogram();
  one.observe(70);
  assert.equal(one.quantile(0.5), 70);
});
