/**
 * `setup claude-desktop | codex | opencode | openai`: each prints what its client needs, with model names the
 * gateway resolves and no key filled in.
 */
import assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { setupSnippet, type SnippetTarget } from "../../lib/cli/setup_snippet.ts";
import { parseConfig } from "../../lib/config.ts";

async function snippet(target: SnippetTarget, options: { url?: string; model?: string[] }, env = {}) {
  const catalog = createCatalog(parseConfig({}), {
    fetch: () => Promise.reject(new Error("offline")),
    log: () => {},
  });
  let out = "";
  let said = "";
  const code = await setupSnippet(target, options, {
    env,
    catalog,
    out: (text) => out += text,
    say: (text) => said += text,
  });
  await catalog.settled();
  return { code, out, said, catalog };
}

Deno.test("setup claude-desktop prints the gateway values with Claude-looking model names that resolve", async () => {
  const { code, out, catalog } = await snippet("claude-desktop", {
    url: "https://bridge.example.dev",
    model: ["kimi-k2.6", "minimax-m2.7"],
  });
  assert.equal(code, 0);
  assert.match(out, /inferenceProvider\s+gateway/);
  assert.match(out, /inferenceGatewayBaseUrl\s+https:\/\/bridge\.example\.dev\n/);
  assert.match(out, /inferenceGatewayAuthScheme\s+bearer/);
  const models = JSON.parse(/inferenceModels\s+(\[.*\])/.exec(out)![1]) as {
    name: string;
    labelOverride: string;
  }[];
  assert.deepEqual(models, [
    { name: "claude-go-kimi-k2.6", labelOverride: "kimi-k2.6 (OpenCode Go)" },
    { name: "claude-go-minimax-m2.7", labelOverride: "minimax-m2.7 (OpenCode Go)" },
  ]);
  for (const model of models) assert.equal((await catalog.resolve(model.name)).service, "go");
  assert.doesNotMatch(out, /requires an https/);
});

Deno.test("setup claude-desktop says Desktop needs https when the URL is plain http", async () => {
  const { out } = await snippet("claude-desktop", {}, { PORT: "9000" });
  assert.match(out, /inferenceGatewayBaseUrl\s+http:\/\/127\.0\.0\.1:9000/);
  assert.match(out, /Desktop requires an https:\/\/ gateway URL/);
});

Deno.test("setup codex prints a config.toml provider on the Responses API", async () => {
  const { code, out } = await snippet("codex", { url: "http://127.0.0.1:8787", model: ["glm-5.2"] });
  assert.equal(code, 0);
  assert.match(out, /^model = "glm-5\.2"$/m);
  assert.match(out, /^base_url = "http:\/\/127\.0\.0\.1:8787\/v1"$/m);
  assert.match(out, /^wire_api = "responses"$/m);
  assert.match(out, /^env_key = "OPENCODE_API_KEY"$/m);
});

Deno.test("setup codex gives Codex the model's context window from the catalog", async () => {
  const { out } = await snippet("codex", { url: "http://127.0.0.1:8787", model: ["kimi-k2.6"] });
  // A top-level key: it must come before the first [table] to be read as the model's setting.
  const topLevel = out.slice(0, out.indexOf("[model_providers"));
  assert.match(topLevel, /^model_context_window = 262144$/m);
  // Codex 0.169.0 reports model_max_output_tokens as an unrecognized setting: it is not written.
  assert.doesNotMatch(out, /model_max_output_tokens/);
});

Deno.test("setup opencode prints a provider with the catalog's limits", async () => {
  const { out } = await snippet("opencode", { url: "http://127.0.0.1:8787", model: ["kimi-k2.6"] });
  const config = JSON.parse(out.slice(out.indexOf("{")));
  const provider = config.provider["opencode-bridge"];
  assert.equal(provider.options.baseURL, "http://127.0.0.1:8787/v1");
  assert.equal(provider.options.apiKey, "{env:OPENCODE_API_KEY}");
  assert.deepEqual(provider.models["kimi-k2.6"].limit, { context: 262144, output: 65536 });
  assert.equal(config.model, "opencode-bridge/kimi-k2.6");
});

Deno.test("setup openai prints the SDK environment and snippets", async () => {
  const { out } = await snippet("openai", { url: "http://127.0.0.1:8787/", model: ["kimi-k2.6"] });
  assert.match(out, /^export OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:8787\/v1$/m);
  assert.match(out, /^export ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:8787$/m);
  assert.match(out, /model: "kimi-k2\.6"/);
  assert.match(out, /client\.responses\.create\(model="kimi-k2\.6"/);
});

Deno.test("setup snippets refuse an unknown model and a bad URL", async () => {
  const unknown = await snippet("codex", { model: ["nope-model"] });
  assert.equal(unknown.code, 1);
  assert.match(unknown.said, /--model nope-model: Unknown model/);
  const badUrl = await snippet("openai", { url: "not a url" });
  assert.equal(badUrl.code, 1);
  assert.match(badUrl.said, /--url not a url: not a URL/);
});
