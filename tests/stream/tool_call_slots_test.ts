// The numbering rules every upstream's tool calls are held to (used by the Chat, Responses, Anthropic and
// Gemini translators and the same-format pass-throughs).
import * as assert from "node:assert/strict";
import { StartedBlocks } from "../../lib/stream/started_blocks.ts";
import {
  MalformedToolCallError,
  MAX_TOOL_CALL_INDEX,
  ToolCallSlots,
} from "../../lib/stream/tool_call_slots.ts";

Deno.test("ToolCallSlots: dense indices open calls; fragments of a call may repeat its id and name", () => {
  const slots = new ToolCallSlots("index");
  assert.equal(slots.claim(0, "call_a", "Read"), true);
  assert.equal(slots.claim(0, "call_a", "Read"), false);
  assert.equal(slots.claim(0, undefined, undefined), false);
  assert.equal(slots.claim(1, undefined, undefined), true);
  // An id or a name that arrives late is taken once.
  assert.equal(slots.claim(1, "call_b", "Write"), false);
  assert.equal(slots.size, 2);
});

Deno.test("ToolCallSlots: out-of-range, sparse, reused and duplicated numbering is malformed", () => {
  const cases: [string, (slots: ToolCallSlots) => void, RegExp][] = [
    [
      "huge",
      (slots) => slots.claim(4294967294, "a"),
      /index 4294967294 is not a whole number from 0 to 1023/,
    ],
    ["cap", (slots) => slots.claim(MAX_TOOL_CALL_INDEX, "a"), /index 1024 is not/],
    ["negative", (slots) => slots.claim(-1, "a"), /index -1 is not/],
    ["fraction", (slots) => slots.claim(0.5, "a"), /index 0.5 is not/],
    ["string", (slots) => slots.claim("0", "a"), /index "0" is not/],
    ["gap", (slots) => slots.claim(1, "a"), /index 1 skips ahead: the next tool call must be index 0/],
    [
      "reuse",
      (slots) => (slots.claim(0, "a"), slots.claim(0, "b")),
      /index 0 is reused by a second tool call/,
    ],
    [
      "rename",
      (slots) => (slots.claim(0, "a", "Read"), slots.claim(0, "a", "Write")),
      /changed its tool name/,
    ],
    [
      "duplicate id",
      (slots) => (slots.claim(0, "a"), slots.claim(1, "a")),
      /id "a" is used by two tool calls/,
    ],
    [
      "late duplicate",
      (slots) => (slots.claim(0, "a"), slots.claim(1), slots.claim(1, "a")),
      /id "a" is used/,
    ],
  ];
  for (const [name, run, message] of cases) {
    assert.throws(() => run(new ToolCallSlots("index")), (error: unknown) => {
      assert.ok(error instanceof MalformedToolCallError, name);
      assert.match((error as Error).message, message, name);
      return true;
    });
  }
});

Deno.test("StartedBlocks: an index opens once, tool ids are unique, gaps are allowed", () => {
  const blocks = new StartedBlocks();
  blocks.claim(0);
  blocks.claim(2, "toolu_1");
  assert.throws(() => blocks.claim(2), /index 2 opens a second block/);
  assert.throws(() => blocks.claim(3, "toolu_1"), /tool_use id "toolu_1" is used by two tool calls/);
  assert.throws(() => blocks.claim(4294967294), /index 4294967294 is not a whole number/);
});
