import assert from "node:assert/strict";
import { editDistance, findCloseMatches } from "../../lib/catalog/close_matches.ts";

const ids = ["kimi-k2.6", "kimi-k2.5", "kimi-k3", "glm-5.1", "glm-5.2", "deepseek-v4-pro", "gpt-5.5"];

Deno.test("findCloseMatches ranks typos and partial names", async (t) => {
  const cases: { name: string; expected: string[] }[] = [
    { name: "kimi-k2.66", expected: ["kimi-k2.6", "kimi-k2.5"] },
    { name: "GLM5.1", expected: ["glm-5.1", "glm-5.2"] },
    { name: "deepseek", expected: ["deepseek-v4-pro"] },
    { name: "completely-different-name", expected: [] },
  ];
  for (const { name, expected } of cases) {
    await t.step(name, () => assert.deepEqual(findCloseMatches(name, ids), expected));
  }
});

Deno.test("editDistance counts single-character edits", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
});
