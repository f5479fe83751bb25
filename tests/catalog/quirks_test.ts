import assert from "node:assert/strict";
import { bundledSnapshot, createCatalog } from "../../lib/catalog/catalog.ts";
import { buildCatalogData } from "../../lib/catalog/catalog_data.ts";
import type { CatalogData } from "../../lib/catalog/schema.ts";
import { readCatalogFromKv, writeCatalogToKv } from "../../lib/catalog/catalog_kv.ts";
import {
  applyCatalogQuirks,
  defaultQuirkCapabilities,
  type QuirkCapabilities,
  type QuirkRow,
  quirksFor,
} from "../../lib/catalog/quirks.ts";
import type { Service } from "../../lib/catalog/types.ts";
import { parseConfig } from "../../lib/config.ts";

const snapshotData = (live: Partial<Record<Service, string[]>> = {}): CatalogData =>
  buildCatalogData(bundledSnapshot(), { source: "snapshot", fetchedAt: 0, expiresAt: 0, live });

const kimiK2: QuirkCapabilities = { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: false };
const kimiCode: QuirkCapabilities = { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: true };
const kimiK3: QuirkCapabilities = { toolChoiceWithThinking: ["auto", "required"], thinkingAlwaysOn: true };

// Written out from provider-quirks.md §2, independently of the overlay's rows; every other model has none.
const expectedQuirks: Record<string, QuirkCapabilities> = {
  "kimi-k2.5": kimiK2,
  "kimi-k2.6": kimiK2,
  "kimi-k2.7-code": kimiCode,
  "kimi-k3": kimiK3,
};

const quirksOf = (capabilities: QuirkCapabilities): QuirkCapabilities => ({
  toolChoiceWithThinking: capabilities.toolChoiceWithThinking,
  thinkingAlwaysOn: capabilities.thinkingAlwaysOn,
});

Deno.test("snapshot catalog: Kimi models carry their tool-choice and thinking quirks, every other model the defaults", async (t) => {
  const data = snapshotData();
  for (const service of ["go", "zen"] as const) {
    for (const entry of data.services[service]) {
      await t.step(`${service} ${entry.id}`, () => {
        const expected = expectedQuirks[entry.id] ?? defaultQuirkCapabilities;
        assert.deepEqual(quirksOf(entry.capabilities), expected);
      });
    }
  }
  // The table above is not vacuous: the snapshot serves these Kimi ids.
  const goIds = data.services.go.map((entry) => entry.id);
  const zenIds = data.services.zen.map((entry) => entry.id);
  for (const id of ["kimi-k2.6", "kimi-k2.7-code", "kimi-k3"]) assert.ok(goIds.includes(id), id);
  for (const id of Object.keys(expectedQuirks)) assert.ok(zenIds.includes(id), id);
});

const resolveCases: { name: string; service?: Service; expected: QuirkCapabilities }[] = [
  { name: "kimi-k2.6", expected: kimiK2 },
  { name: "KIMI-K2.6", expected: kimiK2 },
  { name: "opencode-go/kimi-k2.7-code", expected: kimiCode },
  { name: "claude-go-kimi-k3", expected: kimiK3 },
  { name: "kimi-k3", service: "go", expected: kimiK3 },
  { name: "opencode/kimi-k2.5", expected: kimiK2 },
  { name: "kimi-k3", service: "zen", expected: kimiK3 },
  // MODEL_OPUS defaults to kimi-k2.6: an alias carries its target's quirks.
  { name: "claude-opus-4-8", expected: kimiK2 },
  { name: "deepseek-v4-pro", expected: defaultQuirkCapabilities },
  { name: "glm-5.1", expected: defaultQuirkCapabilities },
  { name: "mimo-v2.5-pro", expected: defaultQuirkCapabilities },
  { name: "minimax-m2.7", service: "zen", expected: defaultQuirkCapabilities },
  { name: "gpt-5.5", expected: defaultQuirkCapabilities },
];

Deno.test("resolveModel hands the quirks to routes", async (t) => {
  const offline: typeof fetch = () => Promise.reject(new TypeError("offline"));
  const catalog = createCatalog(parseConfig({ LOG_LEVEL: "silent" }), { fetch: offline });
  try {
    for (const { name, service, expected } of resolveCases) {
      await t.step(`${service ? `/${service} ` : ""}${name}`, async () => {
        const model = await catalog.resolve(name, { service });
        assert.deepEqual(quirksOf(model.capabilities), expected);
      });
    }
  } finally {
    await catalog.settled();
  }
});

Deno.test("a live-only model gets the quirks of its id too", () => {
  const data = snapshotData({ go: ["kimi-k2.6", "kimi-k2.8", "kimi-k3.1-preview", "newcomer-1"] });
  const byId = new Map(data.services.go.map((entry) => [entry.id, entry]));
  assert.equal(byId.get("kimi-k2.8")?.availability, "live-only");
  assert.deepEqual(quirksOf(byId.get("kimi-k2.8")!.capabilities), kimiK2);
  assert.deepEqual(quirksOf(byId.get("kimi-k3.1-preview")!.capabilities), kimiK3);
  assert.deepEqual(quirksOf(byId.get("newcomer-1")!.capabilities), defaultQuirkCapabilities);
});

Deno.test("quirksFor applies every matching row in order; service, exact id and prefix match case-insensitively", () => {
  const rows: QuirkRow[] = [
    { match: { idPrefix: "Fam-" }, capabilities: { toolChoiceWithThinking: ["auto"] } },
    { match: { idPrefix: "fam-b" }, capabilities: { thinkingAlwaysOn: true } },
    { match: { id: "fam-b2" }, capabilities: { toolChoiceWithThinking: ["auto", "named"] } },
    { match: { service: "zen", id: "zen-only" }, capabilities: { thinkingAlwaysOn: true } },
  ];
  const cases: [Service, string, QuirkCapabilities][] = [
    ["go", "other", defaultQuirkCapabilities],
    ["go", "fam-a", { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: false }],
    ["go", "FAM-B1", { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: true }],
    ["go", "fam-b2", { toolChoiceWithThinking: ["auto", "named"], thinkingAlwaysOn: true }],
    ["go", "fam-b2-x", { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: true }],
    ["go", "zen-only", defaultQuirkCapabilities],
    ["zen", "zen-only", { ...defaultQuirkCapabilities, thinkingAlwaysOn: true }],
  ];
  for (const [service, id, expected] of cases) assert.deepEqual(quirksFor(service, id, rows), expected, id);
});

Deno.test("readCatalogFromKv re-applies the current quirks over a copy an older deploy wrote", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const current = snapshotData();
    // An older deploy's overlay: no Kimi row at all, and a quirk on a model the table no longer names.
    const stale = applyCatalogQuirks(current, [
      { match: { id: "deepseek-v4-pro" }, capabilities: { thinkingAlwaysOn: true } },
    ]);
    const staleKimi = stale.services.go.find((entry) => entry.id === "kimi-k2.6")!;
    assert.deepEqual(quirksOf(staleKimi.capabilities), defaultQuirkCapabilities);
    assert.equal(await writeCatalogToKv(kv, stale), true);
    assert.deepEqual(await readCatalogFromKv(kv), current);
  } finally {
    kv.close();
  }
});

Deno.test("readCatalogFromKv ignores a copy written before the quirk fields existed", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const data = snapshotData();
    const old = {
      ...data,
      services: {
        go: data.services.go.map((
          { capabilities: { toolChoiceWithThinking: _, thinkingAlwaysOn: __, ...rest }, ...entry },
        ) => ({
          ...entry,
          capabilities: rest,
        })),
        zen: [],
      },
    };
    assert.equal(await writeCatalogToKv(kv, old as unknown as CatalogData), true);
    assert.equal(await readCatalogFromKv(kv), undefined);
  } finally {
    kv.close();
  }
});

Deno.test("serverTools: only Zen's Claude models run Anthropic's web server tools themselves, as catalog data", async () => {
  const data = snapshotData();
  const flagged = (service: Service) =>
    data.services[service].filter((entry) => entry.capabilities.serverTools === true).map((entry) =>
      entry.id
    );
  const zenClaude = data.services.zen.map((entry) => entry.id).filter((id) => id.startsWith("claude-"));
  assert.ok(zenClaude.length > 0);
  assert.deepEqual(flagged("zen"), zenClaude);
  assert.deepEqual(flagged("go"), []);
  // An older copy's flag is replaced by what the rows say now.
  const stale = applyCatalogQuirks({
    ...data,
    services: {
      go: data.services.go.map((entry) => ({
        ...entry,
        capabilities: { ...entry.capabilities, serverTools: true },
      })),
      zen: [],
    },
  });
  assert.deepEqual(stale.services.go.filter((entry) => entry.capabilities.serverTools), []);
  const offline: typeof fetch = () => Promise.reject(new TypeError("offline"));
  const catalog = createCatalog(parseConfig({ LOG_LEVEL: "silent" }), { fetch: offline });
  try {
    const model = await catalog.resolve(zenClaude[0], { service: "zen" });
    assert.equal(model.capabilities.serverTools, true);
  } finally {
    await catalog.settled();
  }
});
