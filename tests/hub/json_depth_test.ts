// The depth scan that lets a request be refused while it is still bytes: it must agree with the parsed value
// (brackets inside strings, escaped quotes and backslash runs do not count) and bound JSON held in strings.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { jsonNestsDeeperThan, parseJsonWithinDepth, tooDeep } from "../../lib/hub/json_depth.ts";

const encoder = new TextEncoder();
const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

Deno.test("jsonNestsDeeperThan agrees with the parsed value's depth, strings and escapes included", () => {
  const depthOf = (value: unknown): number =>
    typeof value === "object" && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 14 }), (value, limit) => {
      const text = JSON.stringify(value);
      assert.equal(jsonNestsDeeperThan(encoder.encode(text), limit), depthOf(value) > limit, text);
    }),
    { numRuns: 500 },
  );
  // Brackets in strings, escaped quotes and backslash runs do not count.
  const tricky = JSON.stringify({ s: '[[[[{{{{ \\" \\\\" "[', t: ["\\", '"]]]'] });
  assert.equal(jsonNestsDeeperThan(encoder.encode(tricky), 2), false);
  assert.equal(jsonNestsDeeperThan(encoder.encode(tricky), 1), true);
  assert.throws(() => parseJsonWithinDepth(deepArray(129)), SyntaxError);
  assert.deepEqual(parseJsonWithinDepth("[[1]]"), [[1]]);
});

Deno.test("the depth error is a 400 naming what was too deep and the setting", () => {
  const error = tooDeep(128, "Request body");
  assert.equal(error.status, 400);
  assert.equal(error.kind, "invalid_request_error");
  assert.equal(
    error.message,
    "Request body nests deeper than 128 levels of arrays and objects (JSON_MAX_DEPTH)",
  );
});

Deno.test("the scan is linear: a million levels and a 10 MB string are scanned without building anything", () => {
  assert.equal(jsonNestsDeeperThan(encoder.encode(deepArray(1_000_000)), 128), true);
  const text = JSON.stringify({ s: '\\"['.repeat(2_500_000) });
  assert.equal(jsonNestsDeeperThan(encoder.encode(text), 1), false);
});
