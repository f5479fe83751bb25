// The grammar checker must reject what a client cannot follow, or the property tests prove nothing.
import * as assert from "node:assert/strict";
import { hubGrammarViolations } from "../support/check_hub_grammar.ts";

const start = {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "m",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 0 },
  },
};
const open = (index: number, type = "text") => ({
  type: "content_block_start",
  index,
  content_block: type === "text"
    ? { type: "text", text: "" }
    : { type: "tool_use", id: "t", name: "n", input: {} },
});
const text = (index: number) => ({
  type: "content_block_delta",
  index,
  delta: { type: "text_delta", text: "x" },
});
const json = (index: number) => ({
  type: "content_block_delta",
  index,
  delta: { type: "input_json_delta", partial_json: "{" },
});
const close = (index: number) => ({ type: "content_block_stop", index });
const delta = { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: {} };
const stop = { type: "message_stop" };
const error = { type: "error", error: { type: "api_error", message: "x" } };
const ping = { type: "ping" };

Deno.test("hubGrammarViolations accepts well-formed sequences", async (t) => {
  const good: [string, unknown[]][] = [
    ["text", [start, open(0), text(0), close(0), delta, stop]],
    ["error only", [error]],
    ["pings anywhere", [ping, start, ping, open(0), ping, text(0), close(0), delta, ping, stop]],
    ["error with an open block", [start, open(0), text(0), error]],
  ];
  for (const [name, events] of good) {
    await t.step(name, () => assert.deepEqual(hubGrammarViolations(events), []));
  }
});

Deno.test("hubGrammarViolations rejects malformed sequences", async (t) => {
  const bad: [string, unknown[]][] = [
    ["empty", []],
    ["no message_start", [open(0), text(0), close(0), delta, stop]],
    ["no terminal", [start, open(0), text(0), close(0)]],
    ["two open blocks", [start, open(0), open(1), close(1), delta, stop]],
    ["index gap", [start, open(1), close(1), delta, stop]],
    ["delta for an unknown block", [start, text(3), delta, stop]],
    ["wrong delta type", [start, open(0), json(0), close(0), delta, stop]],
    ["late text delta", [start, open(0), close(0), text(0), delta, stop]],
    // Claude Code ignores a delta after its block's stop: it ran only one of two interleaved parallel calls.
    ["late tool arguments", [
      start,
      open(0, "tool"),
      close(0),
      open(1, "tool"),
      json(0),
      close(1),
      delta,
      stop,
    ]],
    ["stop of a block not open", [start, open(0), close(1), delta, stop]],
    ["message_delta with an open block", [start, open(0), delta, stop]],
    ["stop without delta", [start, stop]],
    ["events after the end", [start, delta, stop, ping]],
    ["second message_start", [start, start, delta, stop]],
    ["not a hub event", [start, { type: "content_block_delta", index: 0 }, delta, stop]],
  ];
  for (const [name, events] of bad) {
    await t.step(name, () => assert.notDeepEqual(hubGrammarViolations(events), []));
  }
});

Deno.test("hubGrammarViolations accepts late tool arguments only when asked", () => {
  const late = [start, open(0, "tool"), close(0), open(1, "tool"), json(0), close(1), delta, stop];
  assert.deepEqual(hubGrammarViolations(late, { allowLateToolArguments: true }), []);
});
