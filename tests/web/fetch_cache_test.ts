/**
 * The gateway's fetch cache: least recently used out first by total bytes, entries expire after the TTL (a
 * fake clock), only successes are kept, and web_fetch answers a repeated URL without asking the page server.
 */
import assert from "node:assert/strict";
import { FetchCache } from "../../lib/web/fetch_cache.ts";
import { textPdf } from "../documents/pdf_fixtures.ts";
import type { FakeHandler } from "../support/fake_upstream.ts";
import { fetchedText, fetchErrorCode, withFetchGateway } from "./fetch_gateway.ts";

function clock(start = 1_000_000) {
  const state = { now: start };
  return { now: () => state.now, advance: (ms: number) => (state.now += ms) };
}

Deno.test("FetchCache evicts the least recently used entries once the bytes would exceed the budget", () => {
  const cache = new FetchCache({ maxBytes: 100, ttlMs: 60_000 });
  cache.set("a", "A", 40);
  cache.set("b", "B", 40);
  assert.equal(cache.get("a"), "A"); // a is now the most recent
  cache.set("c", "C", 40);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), "A");
  assert.equal(cache.get("c"), "C");
  assert.equal(cache.bytes, 80);
  // Too big for the whole budget: not stored, nothing evicted for it.
  cache.set("huge", "H", 101);
  assert.equal(cache.get("huge"), undefined);
  assert.deepEqual([cache.size, cache.bytes], [2, 80]);
  // Storing a key again replaces its size.
  cache.set("a", "A2", 10);
  assert.deepEqual([cache.get("a"), cache.bytes], ["A2", 50]);
  // One big entry pushes out as many old ones as it needs.
  cache.set("d", "D", 100);
  assert.deepEqual([cache.size, cache.bytes, cache.get("d")], [1, 100, "D"]);
});

Deno.test("FetchCache entries expire after the TTL, and expired ones free their bytes", () => {
  const time = clock();
  const cache = new FetchCache({ maxBytes: 1000, ttlMs: 1000, now: time.now });
  cache.set("page", "P", 100);
  time.advance(999);
  assert.equal(cache.get("page"), "P");
  time.advance(1);
  assert.equal(cache.get("page"), undefined);
  assert.equal(cache.bytes, 0);
  // An expired entry that is never read again goes at the next store, wherever it sits in the order.
  cache.set("old", "O", 100);
  time.advance(500);
  cache.set("young", "Y", 100);
  assert.equal(cache.get("old"), "O");
  time.advance(600);
  cache.set("new", "N", 100);
  assert.deepEqual([cache.size, cache.bytes], [2, 200]);
  assert.equal(cache.get("old"), undefined);
});

Deno.test("FetchCache with a zero budget or TTL stores nothing", () => {
  for (const options of [{ maxBytes: 0, ttlMs: 1000 }, { maxBytes: 1000, ttlMs: 0 }]) {
    const cache = new FetchCache(options);
    cache.set("x", "X", 10);
    assert.equal(cache.get("x"), undefined);
    assert.equal(cache.size, 0);
  }
});

/** A site with two ~1 KB pages, a page that fails until told otherwise, and no robots.txt. */
function site() {
  const state = { broken: true };
  const handler: FakeHandler = (request) => {
    const page = (title: string) =>
      new Response(
        `<html><title>${title}</title><body><p>${title} ${"words ".repeat(160)}</p></body></html>`,
        {
          headers: { "content-type": "text/html" },
        },
      );
    if (request.path === "/a") return page("Page A");
    if (request.path === "/b") return page("Page B");
    if (request.path === "/flaky") return state.broken ? new Response("down", { status: 503 }) : page("Back");
    return new Response("no", { status: 404 });
  };
  return { handler, state };
}

Deno.test("web_fetch answers a repeated URL from the cache: the page server is asked once", async () => {
  const time = clock();
  const cache = new FetchCache({ maxBytes: 1024 * 1024, ttlMs: 15 * 60_000, now: time.now });
  await withFetchGateway({ pages: site().handler, cache }, async (gateway) => {
    const first = await gateway.fetch(`${gateway.pages.url}/a`);
    time.advance(60_000);
    // The fragment is not part of the key.
    const second = await gateway.fetch(`${gateway.pages.url}/a#intro`);
    assert.match(fetchedText(second), /Page A words/);
    assert.equal(fetchedText(second), fetchedText(first));
    assert.equal(second.retrieved_at, first.retrieved_at, "a cached page keeps its retrieval time");
    assert.equal(gateway.hits("/a"), 1);
    assert.equal(gateway.hits("/robots.txt"), 1);
    // Past the TTL the page (and its robots.txt) are fetched again.
    time.advance(15 * 60_000);
    await gateway.fetch(`${gateway.pages.url}/a`);
    assert.equal(gateway.hits("/a"), 2);
    assert.equal(gateway.hits("/robots.txt"), 2);
  });
});

Deno.test("web_fetch's cache drops the least recently used page when its byte budget is full", async () => {
  // Room for one ~2.2 KB page (and the tiny robots entry), not two.
  const cache = new FetchCache({ maxBytes: 3000, ttlMs: 60_000 });
  await withFetchGateway({ pages: site().handler, cache }, async (gateway) => {
    await gateway.fetch(`${gateway.pages.url}/a`);
    await gateway.fetch(`${gateway.pages.url}/b`);
    await gateway.fetch(`${gateway.pages.url}/b`);
    await gateway.fetch(`${gateway.pages.url}/a`);
    assert.deepEqual([gateway.hits("/a"), gateway.hits("/b")], [2, 1]);
    assert.ok(cache.bytes <= 3000, `${cache.bytes} bytes held`);
  });
});

Deno.test("web_fetch caches only successes, and use_cache: false fetches afresh", async () => {
  const { handler, state } = site();
  await withFetchGateway(
    { pages: handler, cache: new FetchCache({ maxBytes: 1 << 20, ttlMs: 60_000 }) },
    async (gateway) => {
      const url = `${gateway.pages.url}/flaky`;
      assert.equal(fetchErrorCode(await gateway.fetch(url)), "url_not_accessible");
      state.broken = false;
      assert.match(fetchedText(await gateway.fetch(url)), /Back words/);
      assert.equal(gateway.hits("/flaky"), 2);
      await gateway.fetch(url, { type: "web_fetch_20260309" });
      assert.equal(gateway.hits("/flaky"), 2);
      await gateway.fetch(url, { type: "web_fetch_20260309", use_cache: false });
      assert.equal(gateway.hits("/flaky"), 3);
    },
  );
});

Deno.test("web_fetch's cached page still obeys a later request's domain filter", async () => {
  const cache = new FetchCache({ maxBytes: 1 << 20, ttlMs: 60_000 });
  await withFetchGateway({ pages: site().handler, cache }, async (gateway) => {
    const url = `${gateway.pages.url}/a`;
    assert.match(fetchedText(await gateway.fetch(url)), /Page A/);
    const refused = await gateway.fetch(url, { blocked_domains: ["127.0.0.1"] });
    assert.equal(fetchErrorCode(refused), "url_not_allowed");
    assert.equal(gateway.hits("/a"), 1);
  });
});

Deno.test("a URL PDF document read twice for a text-only model is fetched once (the cache is shared)", async () => {
  const pdf = await textPdf(["Cached page words"]);
  const pages: FakeHandler = (request) =>
    request.path === "/doc.pdf"
      ? new Response(pdf.slice(), { headers: { "content-type": "application/pdf" } })
      : new Response("no", { status: 404 });
  await withFetchGateway({ pages }, async (gateway) => {
    for (let turn = 0; turn < 2; turn++) {
      await gateway.client.messages.create({
        model: "model-x",
        max_tokens: 100,
        messages: [{
          role: "user",
          content: [
            { type: "document", source: { type: "url", url: `${gateway.pages.url}/doc.pdf` } },
            { type: "text", text: "Summarise it." },
          ],
        }],
      });
    }
    assert.equal(gateway.hits("/doc.pdf"), 1);
    assert.equal(gateway.upstream.requests.length, 2);
    for (const request of gateway.upstream.requests) {
      assert.match(JSON.stringify(request.body), /Cached page words/);
    }
  });
});
