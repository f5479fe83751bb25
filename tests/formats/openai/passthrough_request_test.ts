import assert from "node:assert/strict";
import { withMaxTokens } from "../../../lib/formats/openai/passthrough_request.ts";

const fields = ["max_tokens", "max_completion_tokens"];

Deno.test("withMaxTokens returns the client's JSON itself when nothing was clamped", () => {
  const body = { model: "m", max_tokens: 100 };
  assert.equal(withMaxTokens(body, fields, undefined), body);
});

Deno.test("withMaxTokens writes a clamp to the fields the client set, or to the first", () => {
  const both = { max_tokens: 9_000, max_completion_tokens: 9_000 };
  assert.deepEqual(withMaxTokens(both, fields, 500), { max_tokens: 500, max_completion_tokens: 500 });
  assert.deepEqual(withMaxTokens({ max_completion_tokens: 9_000 }, fields, 500), {
    max_completion_tokens: 500,
  });
  assert.deepEqual(withMaxTokens({ max_tokens: null }, fields, 500), { max_tokens: 500 });
  const untouched = { model: "m" };
  assert.deepEqual(withMaxTokens(untouched, ["max_output_tokens"], 500), {
    model: "m",
    max_output_tokens: 500,
  });
  assert.deepEqual(untouched, { model: "m" });
});
