import assert from "node:assert/strict";
import { bundledSnapshot } from "../../lib/catalog/catalog.ts";
import { buildCatalogData } from "../../lib/catalog/catalog_data.ts";
import { listModels } from "../../lib/catalog/list_models.ts";

const data = buildCatalogData(bundledSnapshot(), {
  source: "snapshot",
  fetchedAt: 0,
  expiresAt: 0,
  live: {},
});
const ids = (service?: "go" | "zen") => listModels(data, { service }).map((listing) => listing.id);

Deno.test("listModels gives every model a claude-looking alias so Claude Code's discovery keeps it", () => {
  const go = ids("go");
  for (const entry of data.services.go) assert.ok(go.includes(`claude-go-${entry.id}`), entry.id);
  const zen = ids("zen");
  for (const entry of data.services.zen) {
    assert.ok(zen.includes(entry.id.startsWith("claude-") ? entry.id : `claude-zen-${entry.id}`), entry.id);
  }
});

Deno.test("listModels on the default route lists Go first, then Zen-only models, and no Zen Claude", () => {
  const all = ids();
  assert.equal(all[0], data.services.go[0].id);
  assert.ok(all.includes("gpt-5.5") && all.includes("claude-zen-gpt-5.5"));
  assert.ok(!all.includes("claude-opus-4-8"), "Claude names mean Go aliases here");
  assert.ok(!all.includes("claude-zen-kimi-k2.6"), "kimi-k2.6 is Go's on this route");
  assert.equal(new Set(all).size, all.length, "ids are unique");
});

Deno.test("listModels labels Zen models as billed to the balance", () => {
  const gpt = listModels(data).find((listing) => listing.id === "gpt-5.5");
  assert.equal(gpt?.displayName, "GPT-5.5 (Zen, billed to balance)");
  assert.equal(gpt?.service, "zen");
});
