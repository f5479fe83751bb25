/** Catalog cache behaviour: TTL, stale-while-revalidate, one refresh in flight, KV sharing, offline snapshot. */
import assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { readCatalogFromKv } from "../../lib/catalog/catalog_kv.ts";
import { parseConfig } from "../../lib/config.ts";
import { type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { fakeModelsDev } from "../support/fake_models_dev.ts";

const ttlSeconds = 3600;

interface Harness {
  server: FakeUpstream;
  state: { down: boolean; gate?: Promise<void>; live?: Record<string, string[]> };
  clock: { now: number };
  kv: Deno.Kv;
  make(): ReturnType<typeof createCatalog>;
  metadataCalls(): number;
  close(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const state: Harness["state"] = { down: false };
  const server = startFakeUpstream(async (request) => {
    if (state.gate) await state.gate;
    if (state.down) return new Response("unavailable", { status: 503 });
    if (request.path === "/api.json") return Response.json(fakeModelsDev());
    const service = request.path.split("/")[1];
    const ids = state.live?.[service];
    if (!ids) return new Response("no list", { status: 500 });
    return Response.json({ object: "list", data: ids.map((id) => ({ id, object: "model" })) });
  });
  const config = parseConfig({
    LOG_LEVEL: "silent",
    CATALOG_TTL_SECONDS: String(ttlSeconds),
    MODELS_DEV_URL: `${server.url}/api.json`,
    OPENCODE_GO_URL: `${server.url}/go`,
    OPENCODE_ZEN_URL: `${server.url}/zen`,
  });
  const clock = { now: 1_800_000_000_000 };
  const kv = await Deno.openKv(":memory:");
  const catalogs: ReturnType<typeof createCatalog>[] = [];
  return {
    server,
    state,
    clock,
    kv,
    make() {
      const catalog = createCatalog(config, { kv, fetch, now: () => clock.now });
      catalogs.push(catalog);
      return catalog;
    },
    metadataCalls: () => server.requests.filter((request) => request.path === "/api.json").length,
    async close() {
      for (const catalog of catalogs) await catalog.settled();
      kv.close();
      await server.close();
    },
  };
}

Deno.test("catalog answers a cold start from the snapshot at once and refreshes in the background", async () => {
  const h = await harness();
  try {
    const catalog = h.make();
    const first = await catalog.data();
    assert.equal(first.source, "snapshot");
    assert.ok(catalog.refreshing, "a refresh starts");
    await catalog.settled();
    const after = await catalog.data();
    assert.equal(after.source, "models.dev");
    assert.equal(after.expiresAt, h.clock.now + ttlSeconds * 1000);
    assert.equal((await readCatalogFromKv(h.kv))?.fetchedAt, after.fetchedAt);
    assert.equal(h.metadataCalls(), 1);
  } finally {
    await h.close();
  }
});

Deno.test("catalog resolves a model only the network knows by waiting for the cold-start refresh", async () => {
  const h = await harness();
  try {
    const model = await h.make().resolve("brand-new-model");
    assert.deepEqual([model.service, model.family, model.limits.output], ["go", "openai-chat", 50_000]);
  } finally {
    await h.close();
  }
});

Deno.test("catalog serves a fresh copy without network and a stale one without waiting", async () => {
  const h = await harness();
  try {
    const catalog = h.make();
    await catalog.refresh();
    assert.equal(h.metadataCalls(), 1);
    h.clock.now += ttlSeconds * 1000 - 1;
    await catalog.resolve("kimi-k2.6");
    assert.equal(catalog.refreshing, undefined, "fresh: no refresh");
    h.clock.now += 2;
    // Hold the metadata server: stale answers must not wait for it.
    let open!: () => void;
    h.state.gate = new Promise((resolve) => open = resolve);
    const models = await Promise.all(Array.from({ length: 20 }, () => catalog.resolve("minimax-m3")));
    assert.ok(models.every((model) => model.family === "anthropic" && model.limits.context === 200_000));
    assert.ok(catalog.refreshing, "stale: one refresh in flight");
    open();
    await catalog.settled();
    assert.equal(h.metadataCalls(), 2, "twenty stale reads, one refresh");
  } finally {
    await h.close();
  }
});

Deno.test("catalog falls back to the bundled snapshot when every source is down", async () => {
  const h = await harness();
  h.state.down = true;
  try {
    const catalog = h.make();
    const model = await catalog.resolve("glm-5.1");
    assert.deepEqual([model.service, model.family], ["go", "openai-chat"]);
    await catalog.settled();
    const data = await catalog.data();
    assert.equal(data.source, "snapshot");
    // Retried after a minute, not after the full TTL; nothing degraded is written to KV.
    assert.equal(data.expiresAt, h.clock.now + 60_000);
    assert.equal(await readCatalogFromKv(h.kv), undefined);
    h.clock.now += 30_000;
    await catalog.resolve("glm-5.1");
    assert.equal(catalog.refreshing, undefined);
    h.clock.now += 30_000;
    await catalog.resolve("glm-5.1");
    assert.ok(catalog.refreshing);
  } finally {
    await h.close();
  }
});

Deno.test("catalog with a fetch that throws still routes from the snapshot", async () => {
  const kv = await Deno.openKv(":memory:");
  const catalog = createCatalog(parseConfig({ LOG_LEVEL: "silent" }), {
    kv,
    fetch: () => Promise.reject(new TypeError("error sending request: dns error")),
  });
  try {
    assert.equal((await catalog.resolve("gpt-5.5")).service, "zen");
    await catalog.settled();
    assert.equal((await catalog.data()).source, "snapshot");
  } finally {
    await catalog.settled();
    kv.close();
  }
});

Deno.test("catalog keeps a stale models.dev copy when the metadata source goes down", async () => {
  const h = await harness();
  try {
    const catalog = h.make();
    await catalog.refresh();
    h.state.down = true;
    h.clock.now += ttlSeconds * 1000;
    await catalog.resolve("brand-new-model");
    await catalog.settled();
    const data = await catalog.data();
    assert.equal(data.source, "models.dev");
    assert.ok(data.services.go.some((entry) => entry.id === "brand-new-model"));
    await catalog.resolve("kimi-k2.6");
    assert.equal(catalog.refreshing, undefined, "no retry before the backoff");
  } finally {
    await h.close();
  }
});

Deno.test("catalog instances sharing KV reuse the stored copy without network", async () => {
  const h = await harness();
  try {
    await h.make().refresh();
    const second = h.make();
    assert.equal((await second.data()).source, "models.dev");
    assert.equal(second.refreshing, undefined);
    assert.equal(h.metadataCalls(), 1);
  } finally {
    await h.close();
  }
});

Deno.test("catalog limits each service to its live list and routes live-only models as chat", async () => {
  const h = await harness();
  h.state.live = { go: ["kimi-k2.6", "surprise-model"], zen: ["gpt-5.5"] };
  try {
    const catalog = h.make();
    await catalog.refresh();
    const data = await catalog.data();
    assert.deepEqual(data.live, { go: true, zen: true });
    assert.deepEqual(data.services.go.map((entry) => [entry.id, entry.availability]), [
      ["kimi-k2.6", "live"],
      ["surprise-model", "live-only"],
    ]);
    assert.equal((await catalog.resolve("surprise-model")).family, "openai-chat");
    // minimax-m3 has metadata but Go does not list it now.
    await assert.rejects(() => catalog.resolve("minimax-m3", { service: "go" }), /Unknown model minimax-m3/);
    // Zen's kimi-k2.6 is not in Zen's live list, so opencode/kimi-k2.6 is unknown.
    await assert.rejects(() => catalog.resolve("opencode/kimi-k2.6"), /Unknown model/);
  } finally {
    await h.close();
  }
});
