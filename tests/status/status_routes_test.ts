/**
 * The status endpoints through the gateway handler: counters after real requests (cost from OpenCode's
 * trailing frames included), /status.json and `Accept: application/json`, the HTML page, /health, the Go
 * usage windows polled once, and Claude Code's probes left as cheap as before.
 */
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { RequestStats } from "../../lib/status/request_stats.ts";
import type { StatusSnapshot } from "../../lib/status/status_snapshot.ts";
import { startFakeAnthropicUpstream } from "../support/fake_anthropic_upstream.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { CHAT_COST, startFakeGo, until } from "../support/fake_status_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { statusCatalog } from "../support/status_catalog.ts";

async function withStatusGateway(
  settings: Record<string, string>,
  run: (context: { url: string; stats: RequestStats; go: ReturnType<typeof startFakeGo> }) => Promise<void>,
) {
  const go = startFakeGo();
  const zen = startFakeAnthropicUpstream();
  const stats = new RequestStats();
  const catalog = statusCatalog([
    { id: "kimi-k2.6", family: "openai-chat", price: { input: 0.95, output: 4, cacheRead: 0.16 } },
    { id: "claude-sonnet-4-6", family: "anthropic", service: "zen", interleavedField: null },
  ], { go: go.url, zen: zen.url });
  const config = testConfig({
    RETRIES: "0",
    OPENCODE_GO_URL: go.url,
    OPENCODE_ZEN_URL: zen.url,
    ...settings,
  });
  const gateway = serveGateway(testGateway(config, { catalog, stats, deployed: false }));
  try {
    await run({ url: gateway.url, stats, go });
  } finally {
    await gateway.close();
    await go.close();
    await zen.close();
  }
}

Deno.test("status: counters after streamed and non-stream requests, with OpenCode's cost frames", async () => {
  await withStatusGateway({}, async ({ url, stats }) => {
    const anthropic = new Anthropic({ baseURL: url, apiKey: "test-key-status", maxRetries: 0 });
    // Anthropic client → chat upstream (translated): the cost chunk comes after [DONE], in its own read.
    const stream = anthropic.messages.stream({
      model: "kimi-k2.6",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    });
    assert.equal((await stream.finalMessage()).content[0].type, "text");
    // Anthropic client → Anthropic upstream (bytes passed through): the cost ping follows message_stop.
    const zen = anthropic.messages.stream({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    });
    await zen.finalMessage();
    // OpenAI client → chat upstream, non-stream pass-through: the answer's own `cost` field.
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "test-key-status", maxRetries: 0 });
    const answer = await openai.chat.completions.create({
      model: "kimi-k2.6",
      messages: [{ role: "user", content: "Hi" }],
    });
    assert.equal(
      (answer as unknown as { cost?: string }).cost,
      undefined,
      "cost is still not sent to clients",
    );
    // An unknown model: counted, but never as a model row.
    await assert.rejects(
      openai.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "Hi" }] }),
    );
    await until(() => stats.total === 4, "four finished requests");

    const kimi = stats.models.get("go/kimi-k2.6")!;
    assert.equal(kimi.requests, 2);
    assert.equal(kimi.costedRequests, 2);
    assert.ok(Math.abs(kimi.costUsd - 2 * Number(CHAT_COST)) < 1e-9, `cost ${kimi.costUsd}`);
    assert.equal(kimi.cacheReadTokens, 100);
    assert.equal(kimi.outputTokens, 7 + 3);
    const sonnet = stats.models.get("zen/claude-sonnet-4-6")!;
    assert.equal(sonnet.requests, 1);
    assert.equal(sonnet.costUsd, 0.0001);

    const json = await fetch(`${url}/status.json`).then((response) => response.json()) as StatusSnapshot;
    assert.equal(json.totals.requests, 4);
    assert.equal(json.totals.errors, 1);
    assert.equal(json.scope, "process");
    assert.equal(json.recent.length, 4);
    assert.equal(json.recent[0].status, 404, "newest first");
    assert.equal(json.catalog?.source, "models.dev");
    assert.ok(json.catalog!.ageSeconds >= 90);
    assert.deepEqual(json.services.map((service) => [service.service, service.reachable]), [["go", true], [
      "zen",
      true,
    ]]);
    const row = json.models.find((model) => model.id === "kimi-k2.6")!;
    assert.deepEqual(row.price, { input: 0.95, output: 4, cacheRead: 0.16 });
    assert.equal(row.counters?.requests, 2);
    assert.ok(row.counters!.latencyP50Ms! >= 0);
    assert.equal(row.counters?.cacheReadShare, 100 / 170);
    assert.ok(!json.models.some((model) => model.id === "no-such-model"));
    assert.equal(json.usage, undefined, "no server key: no usage windows");

    const same = await fetch(`${url}/`, { headers: { accept: "application/json" } });
    assert.equal(same.headers.get("content-type"), "application/json");
    assert.equal(((await same.json()) as StatusSnapshot).totals.requests, 4);

    const page = await fetch(`${url}/`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type")!, /^text\/html/);
    const html = await page.text();
    assert.match(html, /<meta http-equiv="refresh" content="\d+">/);
    assert.match(html, /<code>kimi-k2\.6<\/code>/);
    assert.match(html, /\$0\.0246/);
    assert.ok(!html.includes("<script"), "no script on the page");
    assert.ok(!html.includes("test-key-status"));
    // The status pages are neither logged as API requests nor counted.
    assert.equal(stats.total, 4);
  });
});

Deno.test("status: Claude Code's probes and a plain GET / stay the cheap JSON answer; /health is open", async () => {
  await withStatusGateway({}, async ({ url, go }) => {
    const hello = await fetch(`${url}/api/hello`, { method: "HEAD", headers: { accept: "*/*" } });
    assert.equal(hello.status, 200);
    await hello.body?.cancel();
    for (const accept of ["*/*", ""]) {
      const root = await fetch(`${url}/`, { headers: accept ? { accept } : {} });
      assert.deepEqual(await root.json(), { ok: true, name: "opencode-bridge" });
    }
    const health = await fetch(`${url}/health`);
    const body = await health.json();
    assert.equal(body.ok, true);
    assert.equal(typeof body.version, "string");
    assert.equal(go.requests.length, 0, "no probe or page rendering reached the upstream");
  });
});

Deno.test("status: with a server key the Go usage windows show, polled once for many renders", async () => {
  await withStatusGateway({ OPENCODE_API_KEY: "sk-status-server-key" }, async ({ url, go }) => {
    for (let index = 0; index < 3; index++) {
      const json = await fetch(`${url}/status.json`).then((response) => response.json()) as StatusSnapshot;
      assert.deepEqual(json.usage?.windows?.map((window) => [window.name, window.percent, window.status]), [
        ["rolling", 42, "ok"],
        ["weekly", 7, "ok"],
        ["monthly", 100, "rate-limited"],
      ]);
    }
    const html = await fetch(`${url}/`, { headers: { accept: "text/html" } }).then((response) =>
      response.text()
    );
    assert.match(html, /Rolling 5 hours/);
    assert.match(html, /limit reached/);
    assert.ok(!html.includes("sk-status-server-key"));
    assert.equal(go.usageCalls(), 1);
    const usage = go.requests.find((request) => request.path.endsWith("/usage"))!;
    assert.equal(usage.headers.get("authorization"), "Bearer sk-status-server-key");
  });
});
