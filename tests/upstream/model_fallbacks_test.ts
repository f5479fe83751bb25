import * as assert from "node:assert/strict";
import type { ResolvedModel } from "../../lib/catalog/types.ts";
import { fallbacksFor, parseModelFallbacks } from "../../lib/upstream/model_fallbacks.ts";

Deno.test("parseModelFallbacks reads `a=b|c,d=e` and skips malformed entries", () => {
  const table = parseModelFallbacks(
    " kimi-k2.6 = glm-5.1 | deepseek-v4-pro ,glm-5.1=kimi-k2.6,bad,=x,y=,z=z, ",
  );
  assert.deepEqual([...table], [
    ["kimi-k2.6", ["glm-5.1", "deepseek-v4-pro"]],
    ["glm-5.1", ["kimi-k2.6"]],
  ]);
  assert.equal(parseModelFallbacks("").size, 0);
});

Deno.test("fallbacksFor matches the upstream id first, then the requested name", () => {
  const table = parseModelFallbacks("kimi-k2.6=glm-5.1,claude-sonnet-4-6=minimax-m2.7");
  const model = (requested: string, upstreamModel: string) => ({ requested, upstreamModel }) as ResolvedModel;
  assert.deepEqual(fallbacksFor(table, model("claude-sonnet-4-6", "kimi-k2.6")), ["glm-5.1"]);
  assert.deepEqual(fallbacksFor(table, model("claude-sonnet-4-6", "qwen3.6-plus")), ["minimax-m2.7"]);
  assert.deepEqual(fallbacksFor(table, model("x", "y")), []);
});
