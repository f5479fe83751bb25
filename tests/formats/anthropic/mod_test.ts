import assert from "node:assert/strict";
import type { ResolvedModel } from "../../../lib/catalog/types.ts";
import { parseAnthropicRequest } from "../../../lib/formats/anthropic/client.ts";
import { anthropicUpstream } from "../../../lib/formats/anthropic/mod.ts";
import { resolveAnthropicProfile } from "../../../lib/formats/anthropic/upstream_profiles.ts";
import { fakeCatalog } from "../../support/fake_catalog.ts";

const catalog = fakeCatalog([
  { id: "minimax-m2.7", family: "anthropic" },
  { id: "qwen3.7-plus", family: "anthropic", service: "zen" },
  { id: "claude-sonnet-5", family: "anthropic", service: "zen" },
], { go: "https://go.example/zen/go/v1/", zen: "https://zen.example/zen/v1" });

const request = parseAnthropicRequest({
  model: "x",
  max_tokens: 100,
  messages: [{ role: "user", content: "hi" }],
});

function clientHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({
    "x-api-key": "client-key",
    "anthropic-beta": "context-management-2025-06-27,interleaved-thinking-2025-05-14",
    ...extra,
  });
}

async function build(model: string, headers = clientHeaders()) {
  const resolved: ResolvedModel = await catalog.resolve(model);
  return anthropicUpstream.buildRequest(request, {
    model: resolved,
    apiKey: "upstream-key",
    sessionId: "ocb-1234-session",
    clientHeaders: headers,
  });
}

Deno.test("resolveAnthropicProfile picks the profile from catalog data, strict by default", async (t) => {
  const cases: [service: "go" | "zen", upstreamModel: string, profile: string][] = [
    ["go", "minimax-m2.7", "strict"],
    ["go", "qwen3.7-plus", "strict"],
    ["zen", "qwen3.7-plus", "strict"],
    ["zen", "claude-opus-5", "claude"],
    ["zen", "claude-haiku-4-5", "claude"],
    ["go", "claude-opus-5", "strict"],
    ["zen", "some-new-model", "strict"],
  ];
  for (const [service, upstreamModel, profile] of cases) {
    await t.step(`${service} ${upstreamModel} → ${profile}`, () => {
      assert.equal(resolveAnthropicProfile({ service, upstreamModel }).name, profile);
    });
  }
});

Deno.test("anthropicUpstream.buildRequest sends x-api-key, session, version and no betas to a strict upstream", async () => {
  const built = await build("minimax-m2.7");
  assert.equal(built.url, "https://go.example/zen/go/v1/messages");
  assert.equal(new Headers(built.headers).get("x-api-key"), "upstream-key");
  assert.equal(new Headers(built.headers).get("authorization"), null);
  assert.equal(new Headers(built.headers).get("x-opencode-session"), "ocb-1234-session");
  assert.equal(new Headers(built.headers).get("anthropic-version"), "2023-06-01");
  assert.equal(new Headers(built.headers).get("anthropic-beta"), null);
  assert.match(new Headers(built.headers).get("user-agent") ?? "", /^opencode-bridge\//);
  const body = JSON.parse(built.body);
  assert.equal(body.model, "minimax-m2.7");
  assert.equal(body.stream, true);
});

Deno.test("anthropicUpstream.buildRequest forwards anthropic-beta and anthropic-version to Zen's Claude", async () => {
  const built = await build("claude-sonnet-5", clientHeaders({ "anthropic-version": "2023-06-01" }));
  assert.equal(built.url, "https://zen.example/zen/v1/messages");
  assert.equal(
    new Headers(built.headers).get("anthropic-beta"),
    "context-management-2025-06-27,interleaved-thinking-2025-05-14",
  );
  assert.equal(new Headers(built.headers).get("anthropic-version"), "2023-06-01");
});

Deno.test("anthropicUpstream.buildRequest drops betas for Qwen on Zen", async () => {
  const built = await build("qwen3.7-plus");
  assert.equal(new Headers(built.headers).get("anthropic-beta"), null);
});
