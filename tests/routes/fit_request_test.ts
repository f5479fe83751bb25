import assert from "node:assert/strict";
import { fitRequest, resolveVisionModel, visionRerouteHeader } from "../../lib/routes/fit_request.ts";
import { parseConfig } from "../../lib/config.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import type { HubRequest } from "../../lib/hub/schema.ts";
import { countRequestTokens } from "../../lib/tokens/count_tokens.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";

const config = parseConfig({ LOG_LEVEL: "silent" });
const catalog = fakeCatalog([
  { id: "kimi-k2.6", family: "openai-chat", context: 262_144, output: 65_536, image: true },
  { id: "glm-5.1", family: "openai-chat", context: 202_752, output: 32_768 },
  { id: "deepseek-v4-flash", family: "openai-chat", context: 1_000_000, output: 384_000 },
  { id: "tiny", family: "openai-chat", context: 4_096, output: 4_096 },
], { go: "http://go.invalid" });

const request = (overrides: Partial<HubRequest> = {}): HubRequest => ({
  model: "glm-5.1",
  max_tokens: 8_000,
  messages: [{ role: "user", content: "Hello there" }],
  ...overrides,
});

const png1x1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const withImage = (inToolResult: boolean): HubRequest["messages"] => [{
  role: "user",
  content: inToolResult
    ? [{
      type: "tool_result",
      tool_use_id: "t1",
      content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: png1x1 } }],
    }]
    : [{ type: "image", source: { type: "base64", media_type: "image/png", data: png1x1 } }, {
      type: "text",
      text: "What is this?",
    }],
}];

Deno.test("fitRequest leaves a request that fits untouched", async () => {
  const original = request();
  const fitted = await fitRequest(original, await catalog.resolve("glm-5.1"), { catalog, config });
  assert.equal(fitted.request, original);
  assert.deepEqual(fitted.headers, {});
  assert.equal(fitted.inputTokens, undefined, "the byte ceiling spared the tokenizer");
});

Deno.test("fitRequest clamps max_tokens to the model's output limit", async () => {
  const fitted = await fitRequest(request({ max_tokens: 64_000 }), await catalog.resolve("glm-5.1"), {
    catalog,
    config,
  });
  assert.equal(fitted.request.max_tokens, 32_768);
});

Deno.test("fitRequest clamps max_tokens to what the context window leaves", async () => {
  const text = "word ".repeat(2_000);
  const original = request({ model: "tiny", max_tokens: 4_000, messages: [{ role: "user", content: text }] });
  const fitted = await fitRequest(original, await catalog.resolve("tiny"), { catalog, config });
  const input = await countRequestTokens(original);
  assert.equal(fitted.inputTokens, input);
  assert.equal(fitted.request.max_tokens, 4_096 - input);
});

Deno.test("fitRequest keeps thinking.budget_tokens under a clamped max_tokens", async () => {
  const fitted = await fitRequest(
    request({ max_tokens: 64_000, thinking: { type: "enabled", budget_tokens: 40_000 } }),
    await catalog.resolve("glm-5.1"),
    { catalog, config },
  );
  assert.deepEqual(fitted.request.thinking, { type: "enabled", budget_tokens: 32_767 });
});

Deno.test("fitRequest answers a prompt over the context window with prompt is too long", async () => {
  const original = request({
    model: "tiny",
    messages: [{ role: "user", content: "lorem ipsum ".repeat(5_000) }],
  });
  try {
    await fitRequest(original, await catalog.resolve("tiny"), { catalog, config });
    assert.fail("expected a 400");
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    assert.match(error.message, /^prompt is too long: \d+ tokens > 3072 maximum$/);
  }
});

Deno.test("fitRequest re-routes images for a text-only model to the vision model", async (t) => {
  for (const inToolResult of [false, true]) {
    await t.step(inToolResult ? "image inside tool_result" : "image block", async () => {
      const fitted = await fitRequest(
        request({ messages: withImage(inToolResult) }),
        await catalog.resolve("glm-5.1"),
        { catalog, config },
      );
      assert.equal(fitted.model.upstreamModel, "kimi-k2.6");
      assert.deepEqual(fitted.headers, { [visionRerouteHeader]: "glm-5.1 -> kimi-k2.6" });
    });
  }
});

Deno.test("fitRequest keeps images on a model that takes them", async () => {
  const fitted = await fitRequest(
    request({ messages: withImage(false) }),
    await catalog.resolve("kimi-k2.6"),
    {
      catalog,
      config,
    },
  );
  assert.equal(fitted.model.upstreamModel, "kimi-k2.6");
  assert.deepEqual(fitted.headers, {});
});

Deno.test("resolveVisionModel honours VISION_MODEL and refuses one without image input", async () => {
  const withVision = parseConfig({ LOG_LEVEL: "silent", VISION_MODEL: "kimi-k2.6", MODEL_SONNET: "glm-5.1" });
  assert.equal((await resolveVisionModel({ catalog, config: withVision })).upstreamModel, "kimi-k2.6");
  const wrong = parseConfig({ LOG_LEVEL: "silent", VISION_MODEL: "glm-5.1" });
  await assert.rejects(() => resolveVisionModel({ catalog, config: wrong }), /does not accept image input/);
});

Deno.test("resolveVisionModel picks the first image-capable Go model when MODEL_* lack images", async () => {
  const textOnly = parseConfig({
    LOG_LEVEL: "silent",
    MODEL_OPUS: "glm-5.1",
    MODEL_SONNET: "glm-5.1",
    MODEL_HAIKU: "deepseek-v4-flash",
  });
  assert.equal((await resolveVisionModel({ catalog, config: textOnly })).upstreamModel, "kimi-k2.6");
});
