import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../lib/config.ts";

Deno.test("parseConfig applies the documented defaults", () => {
  const config = parseConfig({});
  assert.equal(config.PORT, 8787);
  assert.equal(config.HOSTNAME, "127.0.0.1");
  assert.equal(config.OPENCODE_GO_URL, "https://opencode.ai/zen/go/v1");
  assert.equal(config.OPENCODE_ZEN_URL, "https://opencode.ai/zen/v1");
  assert.equal(config.OPENCODE_API_KEY, undefined);
  assert.equal(config.CATALOG_TTL_SECONDS, 3600);
  assert.equal(config.BODY_LIMIT_BYTES, 32 * 1024 * 1024);
});

Deno.test("parseConfig names every bad variable", () => {
  assert.throws(
    () => parseConfig({ PORT: "eighty", OPENCODE_GO_URL: "not a url" }),
    (error: unknown) =>
      error instanceof ConfigError && /PORT/.test(error.message) && /OPENCODE_GO_URL/.test(error.message),
  );
});

Deno.test("parseConfig treats empty variables as unset and splits GATEWAY_KEYS", () => {
  const config = parseConfig({ OPENCODE_API_KEY: "", GATEWAY_KEYS: "" });
  assert.equal(config.OPENCODE_API_KEY, undefined);
  assert.equal(config.GATEWAY_KEYS, undefined);
  assert.deepEqual(parseConfig({ OPENCODE_API_KEY: "sk", GATEWAY_KEYS: "a, b,,c" }).GATEWAY_KEYS, [
    "a",
    "b",
    "c",
  ]);
});

Deno.test("parseConfig refuses GATEWAY_KEYS without a server-side OPENCODE_API_KEY", () => {
  assert.throws(
    () => parseConfig({ GATEWAY_KEYS: "gw-1" }),
    (error: unknown) =>
      error instanceof ConfigError && /OPENCODE_API_KEY: required when GATEWAY_KEYS/.test(error.message),
  );
});

Deno.test("parseConfig checks the MODEL_FALLBACKS format", () => {
  assert.equal(
    parseConfig({ MODEL_FALLBACKS: "kimi-k2.6=glm-5.1|deepseek-v4-pro, glm-5.1=kimi-k2.6" }).MODEL_FALLBACKS
      .length > 0,
    true,
  );
  assert.throws(
    () => parseConfig({ MODEL_FALLBACKS: "kimi-k2.6>glm-5.1" }),
    (error: unknown) =>
      error instanceof ConfigError && /MODEL_FALLBACKS: "kimi-k2.6>glm-5.1" is not/.test(error.message),
  );
});
