import assert from "node:assert/strict";
import type { CatalogData, CatalogEntry } from "../../lib/catalog/schema.ts";
import { readCatalogFromKv, writeCatalogToKv } from "../../lib/catalog/catalog_kv.ts";
import { defaultQuirkCapabilities } from "../../lib/catalog/quirks.ts";

function bigCatalog(fetchedAt: number, models: number): CatalogData {
  const entry = (index: number): CatalogEntry => ({
    id: `model-${index}-${"x".repeat(200)}`,
    name: `Model ${index}`,
    family: "openai-chat",
    context: 200_000,
    output: 32_000,
    capabilities: {
      reasoning: true,
      toolCall: true,
      image: false,
      pdf: false,
      interleavedField: "reasoning_content",
      efforts: ["high", "max"],
      temperature: true,
      ...defaultQuirkCapabilities,
    },
    created: 0,
    status: null,
    availability: "metadata",
  });
  const entries = Array.from({ length: models }, (_, index) => entry(index));
  return {
    version: 1,
    fetchedAt,
    expiresAt: fetchedAt + 1000,
    source: "models.dev",
    live: { go: false, zen: false },
    services: { go: entries, zen: entries },
  };
}

Deno.test("writeCatalogToKv stores a catalog larger than one 64 KiB value in chunks and replaces it", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const first = bigCatalog(1, 400);
    assert.ok(JSON.stringify(first).length > 3 * 65_536);
    assert.equal(await writeCatalogToKv(kv, first), true);
    assert.deepEqual(await readCatalogFromKv(kv), first);
    const second = bigCatalog(2, 10);
    assert.equal(await writeCatalogToKv(kv, second), true);
    assert.deepEqual(await readCatalogFromKv(kv), second);
    const keys = await Array.fromAsync(kv.list({ prefix: ["catalog"] }), (entry) => entry.key);
    assert.equal(keys.length, 2, "old generation's chunks are gone: one chunk plus the head");
  } finally {
    kv.close();
  }
});

Deno.test("readCatalogFromKv ignores a copy of another shape", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["catalog", "head"], { generation: "g", chunks: 1 });
    await kv.set(["catalog", "chunk", "g", 0], new TextEncoder().encode(JSON.stringify({ version: 0 })));
    assert.equal(await readCatalogFromKv(kv), undefined);
  } finally {
    kv.close();
  }
});
