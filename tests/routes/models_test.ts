/** `GET /v1/models` and `/v1/models/{id}` through both official SDKs and raw fetch, over the bundled snapshot. */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { parseConfig } from "../../lib/config.ts";
import { testGateway } from "../support/log_tap.ts";
import { serveGateway } from "../support/fake_upstream.ts";

const offline: typeof fetch = () => Promise.reject(new TypeError("offline"));

async function withGateway(
  fn: (url: string, catalog: ReturnType<typeof createCatalog>) => Promise<void>,
  overrides: Record<string, string> = {},
) {
  // The catalog stays quiet offline; testGateway logs every request line to the tap at debug regardless.
  const config = parseConfig({ LOG_LEVEL: "silent", ...overrides });
  const catalog = createCatalog(config, { fetch: offline });
  const gateway = serveGateway(testGateway(config, { catalog, fetch: offline }));
  try {
    await fn(gateway.url, catalog);
  } finally {
    await catalog.settled();
    await gateway.close();
  }
}

Deno.test("GET /v1/models through the Anthropic SDK pages through every model and alias", async () => {
  await withGateway(async (url, catalog) => {
    const client = new Anthropic({ baseURL: url, apiKey: "sk-test", maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 20 })) {
      assert.equal(model.type, "model");
      assert.ok(model.display_name.length > 0);
      assert.ok(!Number.isNaN(Date.parse(model.created_at)));
      ids.push(model.id);
    }
    assert.deepEqual(ids, (await catalog.list()).map((listing) => listing.id));
    assert.ok(ids.includes("claude-go-kimi-k2.6") && ids.includes("kimi-k2.6"));
    const retrieved = await client.models.retrieve("claude-go-glm-5.1");
    assert.deepEqual([retrieved.id, retrieved.display_name], ["claude-go-glm-5.1", "GLM-5.1 (Go)"]);
  });
});

Deno.test("GET /v1/models through the OpenAI SDK lists OpenAI-shaped models", async () => {
  await withGateway(async (url) => {
    const client = new OpenAI({ baseURL: `${url}/zen/v1`, apiKey: "sk-test", maxRetries: 0 });
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    assert.ok(models.some((model) => model.id === "claude-opus-4-8" && model.owned_by === "opencode"));
    assert.ok(models.every((model) => model.object === "model" && typeof model.created === "number"));
    const gpt = await client.models.retrieve("gpt-5.5");
    assert.deepEqual([gpt.id, gpt.owned_by], ["gpt-5.5", "opencode"]);
    await assert.rejects(() => client.models.retrieve("gpt-9"), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.match(error.message, /Unknown model gpt-9/);
      return true;
    });
  });
});

Deno.test("GET /v1/models?limit=1000 gives Claude Code's discovery a claude id for every model", async () => {
  await withGateway(async (url, catalog) => {
    const response = await fetch(`${url}/go/v1/models?limit=1000`, {
      headers: { "anthropic-version": "2023-06-01" },
    });
    const body = await response.json();
    assert.equal(body.has_more, false);
    assert.equal(body.first_id, body.data[0].id);
    assert.equal(body.last_id, body.data.at(-1).id);
    const kept = body.data.filter((model: { id: string }) => model.id.toLowerCase().includes("claude"));
    const goModels = (await catalog.data()).services.go;
    assert.equal(kept.length, goModels.length);
    assert.ok(
      body.data.every((model: { id: string }) => !model.id.startsWith("claude-zen-")),
      "/go lists Go only",
    );
  });
});

Deno.test("GET /v1/models pages backwards with before_id and rejects a bad limit", async () => {
  await withGateway(async (url) => {
    const headers = { "anthropic-version": "2023-06-01" };
    const all = (await (await fetch(`${url}/v1/models?limit=1000`, { headers })).json()).data;
    const before = await (await fetch(`${url}/v1/models?limit=3&before_id=${all[5].id}`, { headers })).json();
    assert.deepEqual(
      before.data.map((model: { id: string }) => model.id),
      all.slice(2, 5).map((m: { id: string }) => m.id),
    );
    assert.equal(before.has_more, true);
    const bad = await fetch(`${url}/v1/models?limit=0`, { headers });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.type, "invalid_request_error");
  });
});

Deno.test("GET /v1/models/{id} answers Claude names with the Go model they map to", async () => {
  await withGateway(async (url) => {
    const headers = { "anthropic-version": "2023-06-01" };
    const mapped = await (await fetch(`${url}/v1/models/claude-opus-4-8`, { headers })).json();
    assert.deepEqual([mapped.id, mapped.display_name], [
      "claude-opus-4-8",
      "claude-opus-4-8 → Kimi K2.6 (Go)",
    ]);
    const missing = await fetch(`${url}/v1/models/kimi-k9`, { headers });
    assert.equal(missing.status, 404);
    const body = await missing.json();
    assert.equal(body.type, "error");
    assert.equal(body.error.type, "not_found_error");
    assert.match(body.error.message, /Close matches: kimi-k3/);
  });
});

Deno.test("GET /v1/models needs a gateway key when GATEWAY_KEYS is set", async () => {
  await withGateway(async (url) => {
    const denied = await fetch(`${url}/v1/models`);
    assert.equal(denied.status, 401);
    assert.equal((await denied.json()).error.code, "authentication_error");
    const allowed = await fetch(`${url}/v1/models`, {
      headers: { authorization: "Bearer gw-key-0123456789ab" },
    });
    assert.equal(allowed.status, 200);
    assert.equal((await allowed.json()).object, "list");
  }, { GATEWAY_KEYS: "gw-key-0123456789ab", OPENCODE_API_KEY: "sk-upstream" });
});

Deno.test("GET /v1/models in the OpenAI shape lists real ids only, no claude-go-/claude-zen- aliases", async () => {
  for (const overrides of [{}, { ZEN_FALLBACK: "0" }] as Record<string, string>[]) {
    await withGateway(async (url, catalog) => {
      for (const prefix of ["", "/go", "/zen"]) {
        const client = new OpenAI({ baseURL: `${url}${prefix}/v1`, apiKey: "sk-test", maxRetries: 0 });
        const ids: string[] = [];
        for await (const model of client.models.list()) ids.push(model.id);
        const service = prefix ? prefix.slice(1) as "go" | "zen" : undefined;
        const listed = (await catalog.list({ service })).map((listing) => listing.id);
        const aliases = listed.filter((id) => /^claude-(go|zen)-/.test(id));
        // Aliases stay only where they are the one name a model is reachable by (Zen on `/` with ZEN_FALLBACK=0).
        const reachableOnlyByAlias = aliases.filter((alias) =>
          !listed.includes(alias.replace(/^claude-(go|zen)-/, ""))
        );
        assert.deepEqual(
          ids,
          listed.filter((id) => !aliases.includes(id) || reachableOnlyByAlias.includes(id)),
        );
        assert.equal(new Set(ids).size, ids.length, `${prefix || "/"} lists each id once`);
        if (!overrides.ZEN_FALLBACK || prefix) {
          assert.ok(ids.every((id) => !/^claude-(go|zen)-/.test(id)), `${prefix || "/"} lists no alias`);
        }
        assert.ok(ids.length > 0);
      }
      // The Anthropic shape keeps the aliases for Claude Code's discovery.
      const anthropic = await fetch(`${url}/v1/models?limit=1000`, {
        headers: { "anthropic-version": "2023-06-01" },
      });
      const body = await anthropic.json();
      assert.ok(body.data.some((model: { id: string }) => model.id === "claude-go-kimi-k2.6"));
    }, overrides);
  }
});
