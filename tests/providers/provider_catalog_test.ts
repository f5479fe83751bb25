import assert from "node:assert/strict";
import { bundledSnapshot } from "../../lib/catalog/catalog.ts";
import { buildCatalogData } from "../../lib/catalog/catalog_data.ts";
import { parseConfig } from "../../lib/config.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { ProviderDiscovery } from "../../lib/providers/discover_models.ts";
import { listWithProviders, resolveWithProviders } from "../../lib/providers/provider_catalog.ts";
import { providerModelDefaults } from "../../lib/providers/provider_model.ts";
import type { ProviderConfig } from "../../lib/providers/provider_schema.ts";
import { providersSchema } from "../../lib/providers/provider_schema.ts";

const data = buildCatalogData(bundledSnapshot(), {
  source: "snapshot",
  fetchedAt: 0,
  expiresAt: 0,
  live: {},
});
const offline: typeof fetch = () => Promise.reject(new TypeError("offline"));

function contextFor(providers: unknown[], settings: Record<string, string> = {}, fetchFn = offline) {
  const config = parseConfig({ LOG_LEVEL: "silent", ...settings }, providersSchema.parse(providers));
  const discovery = new ProviderDiscovery({ fetch: fetchFn, ttlMs: 60_000, now: Date.now, log: () => {} });
  return { data, config, discovery };
}

const local = {
  name: "local",
  baseUrl: "http://127.0.0.1:11434/v1",
  format: "openai-chat",
  models: [
    { id: "coder", upstreamId: "qwen3-coder:30b", context: 65536, output: 8192, reasoning: true },
    { id: "plain" },
    { id: "kimi-k2.6" },
  ],
};
const router = {
  name: "openrouter",
  baseUrl: "https://openrouter.ai/api/v1",
  format: "openai-chat",
  models: [{ id: "kimi", upstreamId: "moonshotai/kimi-k2.6" }, { id: "plain" }],
};

async function rejects(promise: Promise<unknown>, kind: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert(error instanceof GatewayError);
    assert.equal(error.kind, kind);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("resolveWithProviders: <provider>/<id> always names the provider's model", async () => {
  const context = contextFor([local, router]);
  const coder = await resolveWithProviders(context, "local/coder");
  assert.equal(coder.service, "local");
  assert.equal(coder.baseUrl, "http://127.0.0.1:11434/v1");
  assert.equal(coder.family, "openai-chat");
  assert.equal(coder.upstreamModel, "qwen3-coder:30b");
  assert.deepEqual(coder.limits, { context: 65536, output: 8192 });
  assert.equal(coder.capabilities.reasoning, true);
  assert.equal(coder.requested, "local/coder");
  assert.equal(coder.matchedBy, "provider");
  // Qualified even where the bare id is OpenCode's too.
  assert.equal((await resolveWithProviders(context, "local/kimi-k2.6")).service, "local");
});

Deno.test("resolveWithProviders: a bare id works when only one provider serves it", async () => {
  const context = contextFor([local, router]);
  assert.equal((await resolveWithProviders(context, "coder")).service, "local");
  assert.equal((await resolveWithProviders(context, "kimi")).service, "openrouter");
  // OpenCode's own names are untouched.
  const glm = await resolveWithProviders(context, "glm-5.1");
  assert.equal(glm.service, "go");
  assert.equal(glm.matchedBy, "exact");
});

Deno.test("resolveWithProviders: an ambiguous bare id is a 400 listing the qualified names", async () => {
  const context = contextFor([local, router]);
  await rejects(
    resolveWithProviders(context, "plain"),
    "invalid_request_error",
    /Model name plain is ambiguous.*Name one of: local\/plain, openrouter\/plain$/,
  );
  // OpenCode counts as a provider: Go serves kimi-k2.6 too.
  await rejects(
    resolveWithProviders(context, "kimi-k2.6"),
    "invalid_request_error",
    /Name one of: local\/kimi-k2\.6, opencode-go\/kimi-k2\.6$/,
  );
});

Deno.test("resolveWithProviders: a /<provider> route serves only that provider", async () => {
  const context = contextFor([local, router]);
  const plain = await resolveWithProviders(context, "plain", { service: "openrouter" });
  assert.equal(plain.service, "openrouter");
  const kimi = await resolveWithProviders(context, "kimi-k2.6", { service: "local" });
  assert.equal(kimi.service, "local");
  await rejects(
    resolveWithProviders(context, "glm-5.1", { service: "local" }),
    "not_found_error",
    /not served by local/,
  );
  await rejects(
    resolveWithProviders(context, "openrouter/kimi", { service: "local" }),
    "not_found_error",
    /names provider openrouter, but this route only serves local/,
  );
  const fromPath = await resolveWithProviders(context, "coder", { service: "local", fromPath: true });
  assert.equal(fromPath.matchedBy, "path+provider");
  // /go still serves only Go.
  await rejects(resolveWithProviders(context, "coder", { service: "go" }), "not_found_error", /OpenCode Go/);
});

Deno.test("resolveWithProviders: unknown names get close matches from providers too", async () => {
  const context = contextFor([local]);
  await rejects(
    resolveWithProviders(context, "local/codr"),
    "not_found_error",
    /Close matches: local\/coder/,
  );
  await rejects(
    resolveWithProviders(context, "codr"),
    "not_found_error",
    /Configured providers serve: local\/coder/,
  );
});

Deno.test("resolveWithProviders: MODEL_SONNET may name a provider model for Claude names", async () => {
  const context = contextFor([local], { MODEL_SONNET: "local/coder" });
  const sonnet = await resolveWithProviders(context, "claude-sonnet-4-6");
  assert.equal(sonnet.service, "local");
  assert.equal(sonnet.upstreamModel, "qwen3-coder:30b");
  assert.equal(sonnet.requested, "claude-sonnet-4-6");
  assert.equal(sonnet.matchedBy, "claude-alias");
});

Deno.test("providerModel: limits and capabilities from the entry, else models.dev, else the defaults", async () => {
  const context = contextFor([local, router]);
  // models.dev knows Kimi K2.6 under Go: OpenRouter's vendor-prefixed id gets its metadata and Kimi's quirks.
  const kimi = await resolveWithProviders(context, "openrouter/kimi");
  const go = await resolveWithProviders(context, "opencode-go/kimi-k2.6");
  assert.deepEqual(kimi.limits, go.limits);
  assert.equal(kimi.capabilities.image, go.capabilities.image);
  assert.deepEqual(kimi.capabilities.toolChoiceWithThinking, ["auto"]);
  assert.equal(kimi.capabilities.interleavedField, go.capabilities.interleavedField);
  // Nothing known: the documented defaults.
  const plain = await resolveWithProviders(context, "local/plain");
  assert.deepEqual(plain.limits, {
    context: providerModelDefaults.context,
    output: providerModelDefaults.output,
  });
  assert.equal(plain.capabilities.image, false);
  assert.equal(plain.capabilities.toolCall, true);
  assert.equal(plain.capabilities.reasoning, false);
});

Deno.test("providerModel: Azure's URL form per format", async () => {
  const azure = (format: string, deployment?: string) => ({
    name: `az-${format}`,
    baseUrl: "https://res.openai.azure.com/",
    format,
    azure: { apiVersion: "2024-10-21", ...(deployment ? { deployment } : {}) },
    models: [{ id: "gpt-4o" }],
  });
  const context = contextFor([azure("openai-chat", "prod-4o"), azure("openai-responses")]);
  const chat = await resolveWithProviders(context, "az-openai-chat/gpt-4o");
  assert.equal(chat.baseUrl, "https://res.openai.azure.com/openai/deployments/prod-4o");
  const responses = await resolveWithProviders(context, "az-openai-responses/gpt-4o");
  assert.equal(responses.baseUrl, "https://res.openai.azure.com/openai");
});

Deno.test("listWithProviders lists configured models with their provider", async () => {
  const context = contextFor([local, router]);
  const all = await listWithProviders(context);
  const coder = all.find((listing) => listing.id === "local/coder");
  assert.deepEqual(coder, {
    id: "local/coder",
    displayName: "coder (local)",
    service: "local",
    family: "openai-chat",
    created: 0,
  });
  assert(all.some((listing) => listing.id === "openrouter/kimi" && listing.service === "openrouter"));
  assert(all.some((listing) => listing.id === "kimi-k2.6" && listing.service === "go"));
  const onRoute = await listWithProviders(context, { service: "local" });
  assert.deepEqual(onRoute.map((listing) => listing.id), ["coder", "plain", "kimi-k2.6"]);
  const onGo = await listWithProviders(context, { service: "go" });
  assert(onGo.every((listing) => listing.service === "go"));
});

Deno.test("discover: true adds what GET {baseUrl}/models lists; a failed read serves the configured ones", async () => {
  const seen: string[] = [];
  let fail = false;
  const fetchFn: typeof fetch = (input, init) => {
    const url = String(input);
    seen.push(`${url} ${new Headers(init?.headers).get("authorization")}`);
    if (fail) return Promise.resolve(new Response("down", { status: 503 }));
    return Promise.resolve(
      Response.json({ object: "list", data: [{ id: "coder" }, { id: "llama3.3:70b" }] }),
    );
  };
  const provider = { ...local, apiKey: "local-key-123456", discover: true, models: [local.models[0]] };
  const context = contextFor([provider], {}, fetchFn);
  const listed = (await listWithProviders(context, { service: "local" })).map((listing) => listing.id);
  assert.deepEqual(listed, ["coder", "llama3.3:70b"]);
  assert.deepEqual(seen, ["http://127.0.0.1:11434/v1/models Bearer local-key-123456"]);
  const discovered = await resolveWithProviders(context, "local/llama3.3:70b");
  assert.equal(discovered.upstreamModel, "llama3.3:70b");
  // Cached: no second read within the TTL.
  assert.equal(seen.length, 1);
  const failing = contextFor([provider], {}, (input, init) => {
    fail = true;
    return fetchFn(input, init);
  });
  assert.deepEqual((await listWithProviders(failing, { service: "local" })).map((listing) => listing.id), [
    "coder",
  ]);
});

Deno.test("providersSchema output round-trips through parseConfig (config re-validation)", () => {
  const parsed: ProviderConfig[] = providersSchema.parse([local]);
  const config = parseConfig({}, parsed);
  assert.deepEqual(config.providers, parsed);
});
