import assert from "node:assert/strict";
import { renderStatusPage } from "../../lib/status/render_status_page.ts";
import type { StatusSnapshot } from "../../lib/status/status_snapshot.ts";

const EVIL = `<script>alert("x")</script><img src=x onerror='y'>&`;

function snapshot(): StatusSnapshot {
  return {
    name: "opencode-bridge",
    version: EVIL,
    startedAt: "2026-12-05T07:00:00.000Z",
    uptimeSeconds: 3_725,
    scope: "process",
    totals: { requests: 2, errors: 1, activeStreams: 1 },
    services: [
      { service: "go", url: `https://go.example/${EVIL}`, reachable: false, problem: EVIL, checkedAt: "x" },
      { service: "zen", url: "https://zen.example", reachable: true, latencyMs: 80, checkedAt: "x" },
    ],
    catalog: { source: EVIL, fetchedAt: "x", ageSeconds: 10, live: { go: true, zen: true } },
    usage: { checkedAt: "x", windows: [{ name: "rolling", percent: 150, resetsAt: EVIL, status: EVIL }] },
    models: [{
      id: EVIL,
      service: EVIL,
      family: EVIL,
      inCatalog: false,
      counters: {
        requests: 2,
        errors: { [EVIL]: 1 },
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        costedRequests: 0,
        retries: 0,
        fallbacks: 0,
      },
    }],
    recent: [{
      time: EVIL,
      route: EVIL,
      status: 500,
      latencyMs: 5,
      model: EVIL,
      upstreamModel: `${EVIL}2`,
      family: EVIL,
      error: EVIL,
    }],
  };
}

Deno.test("renderStatusPage escapes every value that comes from outside", () => {
  const html = renderStatusPage(snapshot());
  assert.ok(!html.includes("<script"), "no script element");
  assert.ok(!html.includes("<img"), "no injected element");
  assert.ok(!/onerror='/.test(html), "no live attribute");
  assert.ok(
    html.includes(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;",
    ),
  );
  // A percent past 100 draws a full bar, never a wider one.
  assert.match(html, /style="width:100%"/);
  assert.match(html, /Up 1 h 2 min/);
});

Deno.test("renderStatusPage says so when the Go usage cannot be read", () => {
  const html = renderStatusPage({
    ...snapshot(),
    usage: { checkedAt: "x", problem: "the key was rejected" },
  });
  assert.match(html, /Unavailable: the key was rejected/);
  const none = renderStatusPage({ ...snapshot(), usage: undefined });
  assert.ok(!none.includes("Go usage"), "no server key: no usage section");
});
