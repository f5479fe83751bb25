import assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { parseConfig } from "../../lib/config.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import type { Family } from "../../lib/catalog/types.ts";

const config = parseConfig({ LOG_LEVEL: "silent" });
const assertEquals = (actual: unknown, expected: unknown, message?: string) =>
  assert.deepEqual(actual, expected, message);

async function rejection(fn: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  throw new Error("Expected a rejection");
}
const offline: typeof fetch = () => Promise.reject(new TypeError("offline"));

// The documented endpoint of every model (opencode.md §1.1 and §1.2), written out independently of the snapshot.
const goFamilies: Record<string, Family> = {
  "grok-4.5": "openai-responses",
  "gpt-5.6-luna": "openai-responses",
  "muse-spark-1.2-contributor": "openai-responses",
  "glm-5.3": "openai-chat",
  "glm-5.2": "openai-chat",
  "glm-5.1": "openai-chat",
  "kimi-k3": "openai-chat",
  "kimi-k2.7-code": "openai-chat",
  "kimi-k2.6": "openai-chat",
  "deepseek-v4-pro": "openai-chat",
  "deepseek-v4-flash": "openai-chat",
  "deepseek-v4-flash-vision-exp": "openai-chat",
  "mimo-v2.5": "openai-chat",
  "mimo-v2.5-pro": "openai-chat",
  "minimax-m3": "anthropic",
  "minimax-m2.7": "anthropic",
  "minimax-m2.5": "anthropic",
  "qwen3.8-max": "anthropic",
  "qwen3.7-max": "anthropic",
  "qwen3.7-plus": "anthropic",
  "qwen3.6-plus": "anthropic",
  "hy3": "openai-chat",
  "ox-alpha-free": "openai-chat",
};

const zenGroups: [Family, string[]][] = [
  ["openai-responses", [
    "gpt-5.6-sol-fast",
    "gpt-5.6-sol",
    "gpt-5.6-terra",
    "gpt-5.6-luna",
    "gpt-5.5",
    "gpt-5.5-pro",
    "gpt-5.4",
    "gpt-5.4-pro",
    "gpt-5.4-mini",
    "gpt-5.4-nano",
    "gpt-5.3-codex",
    "gpt-5.3-codex-spark",
    "gpt-5.2",
    "gpt-5.2-codex",
    "gpt-5.1",
    "gpt-5.1-codex",
    "gpt-5.1-codex-max",
    "gpt-5.1-codex-mini",
    "gpt-5",
    "gpt-5-codex",
    "gpt-5-nano",
  ]],
  ["anthropic", [
    "claude-fable-5",
    "claude-opus-5",
    "claude-opus-4-8",
    "claude-opus-4-7",
    "claude-opus-4-6",
    "claude-opus-4-5",
    "claude-sonnet-5",
    "claude-sonnet-4-6",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "qwen3.7-max",
    "qwen3.7-plus",
    "qwen3.6-plus",
    "qwen3.5-plus",
  ]],
  ["gemini", [
    "gemini-3.6-flash",
    "gemini-3.5-flash",
    "gemini-3.5-flash-lite",
    "gemini-3.1-pro",
    "gemini-3-flash",
  ]],
  ["openai-chat", [
    "grok-4.5",
    "grok-build-0.1",
    "deepseek-v4-pro",
    "deepseek-v4-flash",
    "minimax-m3",
    "minimax-m2.7",
    "minimax-m2.5",
    "glm-5.2",
    "glm-5.1",
    "glm-5",
    "kimi-k2.5",
    "kimi-k2.6",
    "kimi-k2.7-code",
    "kimi-k3",
    "big-pickle",
    "mimo-v2.5-free",
    "laguna-s-2.1-free",
    "ling-3.0-flash-free",
    "north-mini-code-free",
    "nemotron-3-ultra-free",
    "deepseek-v4-flash-free",
  ]],
];
const zenFamilies = Object.fromEntries(zenGroups.flatMap(([family, ids]) => ids.map((id) => [id, family])));

async function withCatalog(
  fn: (catalog: ReturnType<typeof createCatalog>) => Promise<void>,
  overrides: Record<string, string> = {},
) {
  const catalog = createCatalog(parseConfig({ LOG_LEVEL: "silent", ...overrides }), { fetch: offline });
  try {
    await fn(catalog);
  } finally {
    await catalog.settled();
  }
}

Deno.test("bundled snapshot holds exactly the documented Go and Zen models", async () => {
  await withCatalog(async (catalog) => {
    const data = await catalog.data();
    assertEquals(data.source, "snapshot");
    assertEquals(data.services.go.map((entry) => entry.id).sort(), Object.keys(goFamilies).sort());
    assertEquals(data.services.zen.map((entry) => entry.id).sort(), Object.keys(zenFamilies).sort());
  });
});

Deno.test("resolveModel puts every Go model on its documented family via /go", async (t) => {
  await withCatalog(async (catalog) => {
    for (const [id, family] of Object.entries(goFamilies)) {
      await t.step(id, async () => {
        const model = await catalog.resolve(id, { service: "go" });
        assertEquals([model.service, model.family, model.upstreamModel, model.matchedBy], [
          "go",
          family,
          id,
          "exact",
        ]);
        assertEquals(model.baseUrl, config.OPENCODE_GO_URL);
      });
    }
  });
});

Deno.test("resolveModel puts every Zen model on its documented family via /zen", async (t) => {
  await withCatalog(async (catalog) => {
    for (const [id, family] of Object.entries(zenFamilies)) {
      await t.step(id, async () => {
        const model = await catalog.resolve(id, { service: "zen" });
        assertEquals([model.service, model.family, model.upstreamModel], ["zen", family, id]);
        assertEquals(model.baseUrl, config.OPENCODE_ZEN_URL);
      });
    }
  });
});

interface NameCase {
  name: string;
  route?: "go" | "zen";
  fromPath?: boolean;
  expected: { service: string; upstreamModel: string; family?: Family; matchedBy: string };
}

const nameCases: NameCase[] = [
  { name: "kimi-k2.6", expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "exact" } },
  { name: "KIMI-K2.6", expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "exact" } },
  {
    name: "opencode-go/kimi-k2.6",
    expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "opencode-prefix" },
  },
  {
    name: "opencode/kimi-k2.6",
    expected: { service: "zen", upstreamModel: "kimi-k2.6", matchedBy: "opencode-prefix" },
  },
  {
    name: "opencode/gpt-5.5",
    expected: { service: "zen", upstreamModel: "gpt-5.5", matchedBy: "opencode-prefix" },
  },
  {
    name: "gpt-5.5",
    expected: {
      service: "zen",
      upstreamModel: "gpt-5.5",
      family: "openai-responses",
      matchedBy: "zen-fallback",
    },
  },
  {
    name: "claude-go-kimi-k2.6",
    expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "gateway-alias" },
  },
  {
    name: "claude-zen-gpt-5.5",
    expected: { service: "zen", upstreamModel: "gpt-5.5", matchedBy: "gateway-alias" },
  },
  {
    name: "minimax-m3",
    route: "zen",
    expected: { service: "zen", upstreamModel: "minimax-m3", family: "openai-chat", matchedBy: "exact" },
  },
  {
    name: "minimax-m3",
    expected: { service: "go", upstreamModel: "minimax-m3", family: "anthropic", matchedBy: "exact" },
  },
  // Claude Code's default names on the default and /go routes map to Go, never to Zen's paid Claude.
  {
    name: "claude-opus-4-8",
    expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "claude-alias" },
  },
  {
    name: "claude-sonnet-5",
    route: "go",
    expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "claude-alias" },
  },
  {
    name: "claude-haiku-4-5-20251001",
    expected: { service: "go", upstreamModel: "deepseek-v4-flash", matchedBy: "claude-alias" },
  },
  {
    name: "claude-opus-4-8[1m]",
    expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "claude-alias" },
  },
  {
    name: "claude-fable-5",
    expected: { service: "go", upstreamModel: "kimi-k2.6", matchedBy: "claude-alias" },
  },
  // Real Claude only on /zen or with the opencode/ prefix.
  {
    name: "claude-opus-4-8",
    route: "zen",
    expected: { service: "zen", upstreamModel: "claude-opus-4-8", family: "anthropic", matchedBy: "exact" },
  },
  {
    name: "claude-haiku-4-5-20251001",
    route: "zen",
    expected: { service: "zen", upstreamModel: "claude-haiku-4-5", matchedBy: "exact" },
  },
  {
    name: "opencode/claude-sonnet-4-6",
    expected: { service: "zen", upstreamModel: "claude-sonnet-4-6", matchedBy: "opencode-prefix" },
  },
  {
    name: "glm-5.1",
    route: "go",
    fromPath: true,
    expected: { service: "go", upstreamModel: "glm-5.1", matchedBy: "path+exact" },
  },
  {
    name: "claude-go-glm-5.1",
    route: "go",
    fromPath: true,
    expected: { service: "go", upstreamModel: "glm-5.1", matchedBy: "path+gateway-alias" },
  },
];

Deno.test("resolveModel accepts every name form", async (t) => {
  await withCatalog(async (catalog) => {
    for (const { name, route, fromPath, expected } of nameCases) {
      await t.step(`${route ? `/${route} ` : ""}${name}`, async () => {
        const model = await catalog.resolve(name, { service: route, fromPath });
        assertEquals(model.requested, name);
        assertEquals({
          service: model.service,
          upstreamModel: model.upstreamModel,
          matchedBy: model.matchedBy,
          ...(expected.family ? { family: model.family } : {}),
        }, expected);
      });
    }
  });
});

Deno.test("resolveModel maps Claude names through MODEL_OPUS, MODEL_SONNET and MODEL_HAIKU", async () => {
  await withCatalog(async (catalog) => {
    assertEquals((await catalog.resolve("claude-opus-5")).upstreamModel, "glm-5.2");
    assertEquals((await catalog.resolve("claude-sonnet-5")).upstreamModel, "minimax-m3");
    assertEquals((await catalog.resolve("claude-haiku-4-5")).upstreamModel, "qwen3.7-plus");
  }, { MODEL_OPUS: "glm-5.2", MODEL_SONNET: "opencode-go/minimax-m3", MODEL_HAIKU: "qwen3.7-plus" });
});

Deno.test("resolveModel refuses an alias target that Go lacks instead of billing Zen", async () => {
  await withCatalog(async (catalog) => {
    const error = await rejection(() => catalog.resolve("claude-opus-4-8"));
    assertEquals(error.kind, "not_found_error");
    assertEquals(error.message.includes("MODEL_OPUS"), true);
  }, { MODEL_OPUS: "gpt-5.5" });
});

const missCases: { name: string; route?: "go" | "zen"; mentions: string[] }[] = [
  { name: "kimi-k2.66", mentions: ["Close matches: kimi-k2.6", "OpenCode Go or OpenCode Zen"] },
  { name: "glm5.1", route: "go", mentions: ["glm-5.1", "OpenCode Go"] },
  // Go does not serve gpt-5.5; on /go it must not quietly go to Zen.
  { name: "gpt-5.5", route: "go", mentions: ["not served by OpenCode Go"] },
  { name: "opencode/gpt-5.5", route: "go", mentions: ["/zen route"] },
  { name: "claude-zen-gpt-5.5", route: "go", mentions: ["/zen route"] },
  { name: "claude-opus-9", route: "zen", mentions: ["claude-opus-5"] },
  { name: "totally-unknown", mentions: ["Unknown model totally-unknown"] },
];

Deno.test("resolveModel answers unknown names with not_found_error and close matches", async (t) => {
  await withCatalog(async (catalog) => {
    for (const { name, route, mentions } of missCases) {
      await t.step(`${route ? `/${route} ` : ""}${name}`, async () => {
        const error = await rejection(() => catalog.resolve(name, { service: route }));
        assertEquals(error.kind, "not_found_error");
        assertEquals(error.status, 404);
        for (const text of mentions) assertEquals(error.message.includes(text), true, error.message);
      });
    }
  });
});

Deno.test("resolveModel carries limits and quirks from the catalog data", async () => {
  await withCatalog(async (catalog) => {
    const deepseek = await catalog.resolve("deepseek-v4-pro");
    assertEquals(deepseek.limits, { context: 1_000_000, output: 384_000 });
    assertEquals(deepseek.capabilities.interleavedField, "reasoning_content");
    assertEquals(deepseek.capabilities.efforts, ["high", "max"]);
    const kimi = await catalog.resolve("kimi-k2.6");
    assertEquals(kimi.limits, { context: 262_144, output: 65_536 });
    assertEquals([kimi.capabilities.image, kimi.capabilities.temperature], [true, false]);
    const glm = await catalog.resolve("glm-5.1");
    assertEquals([glm.limits.context, glm.capabilities.image], [202_752, false]);
    const zenMinimax = await catalog.resolve("minimax-m2.7", { service: "zen" });
    assertEquals(zenMinimax.capabilities.interleavedField, "reasoning_details");
    const goMinimax = await catalog.resolve("minimax-m2.7");
    assertEquals(goMinimax.capabilities.interleavedField, null);
  });
});
