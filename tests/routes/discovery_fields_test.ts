/**
 * `GET /v1/models` in Anthropic's shape carries what discovering clients read: a `description` for Claude
 * Code's /model picker, and `anthropic_family_tier` + `is_family_default` on the alias of each MODEL_* target
 * for Claude Desktop (reference §7.1); bare ids carry no tier, so Desktop does not list each model twice.
 */
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { createCatalog } from "../../lib/catalog/catalog.ts";

Deno.test("GET /v1/models marks the MODEL_* targets' aliases with their Claude tier", async () => {
  const config = testConfig({
    MODEL_OPUS: "kimi-k2.6",
    MODEL_SONNET: "glm-5.2",
    MODEL_HAIKU: "deepseek-v4-flash",
  });
  const catalog = createCatalog(config, { fetch: () => Promise.reject(new Error("offline")), log: () => {} });
  try {
    const gateway = testGateway(config, { catalog });
    const response = await gateway(
      new Request("http://gw/v1/models?limit=1000", {
        headers: { "anthropic-version": "2023-06-01", "x-api-key": "sk-discovery-test-01" },
      }),
    );
    assert.equal(response.status, 200);
    const body = await response.json() as { data: Record<string, unknown>[] };
    const byId = new Map(body.data.map((entry) => [entry.id as string, entry]));
    assert.equal(byId.get("claude-go-kimi-k2.6")?.anthropic_family_tier, "opus");
    assert.equal(byId.get("claude-go-kimi-k2.6")?.is_family_default, true);
    assert.equal(byId.get("claude-go-glm-5.2")?.anthropic_family_tier, "sonnet");
    assert.equal(byId.get("claude-go-deepseek-v4-flash")?.anthropic_family_tier, "haiku");
    assert.equal(byId.get("claude-go-glm-5.1")?.anthropic_family_tier, undefined, "not a MODEL_* target");
    assert.equal(byId.get("kimi-k2.6")?.anthropic_family_tier, undefined, "bare ids get no tier");
    assert.equal(byId.get("kimi-k2.6")?.description, "OpenCode Go · /chat/completions");
    assert.equal(byId.get("claude-go-minimax-m2.7")?.description, "OpenCode Go · /messages");
    // OpenAI's shape stays as OpenAI clients expect it.
    const openai = await gateway(
      new Request("http://gw/v1/models", { headers: { authorization: "Bearer sk-discovery-test-01" } }),
    );
    const openaiBody = await openai.json() as { data: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(openaiBody.data[0]).sort(), ["created", "id", "object", "owned_by"]);
  } finally {
    await catalog.settled();
  }
});

Deno.test("GET /v1/models/{alias} carries the same fields", async () => {
  const config = testConfig({ MODEL_OPUS: "glm-5.2", MODEL_SONNET: "kimi-k2.6" });
  const catalog = createCatalog(config, { fetch: () => Promise.reject(new Error("offline")), log: () => {} });
  try {
    const gateway = testGateway(config, { catalog });
    const response = await gateway(
      new Request("http://gw/v1/models/claude-go-kimi-k2.6", {
        headers: { "anthropic-version": "2023-06-01" },
      }),
    );
    const body = await response.json() as Record<string, unknown>;
    assert.equal(body.id, "claude-go-kimi-k2.6");
    assert.equal(body.description, "OpenCode Go · /chat/completions");
    assert.equal(body.anthropic_family_tier, "sonnet");
  } finally {
    await catalog.settled();
  }
});
