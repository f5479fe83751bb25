import assert from "node:assert/strict";
import { createThinkTagSplitter } from "../../../lib/formats/openai-chat/think_tag_splitter.ts";

function split(chunks: string[]): [string, string][] {
  const out: [string, string][] = [];
  const add = (kind: string, text: string) => {
    const last = out.at(-1);
    if (last && last[0] === kind) last[1] += text;
    else out.push([kind, text]);
  };
  const splitter = createThinkTagSplitter({
    thinking: (text) => add("thinking", text),
    text: (text) => add("text", text),
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.flush();
  return out;
}

const cases: [name: string, chunks: string[], expected: [string, string][]][] = [
  ["plain text passes through", ["Hello ", "world"], [["text", "Hello world"]]],
  ["whole tags in one chunk", ["<think>plan</think>Answer"], [["thinking", "plan"], ["text", "Answer"]]],
  [
    "tags cut at every position",
    ["<", "thi", "nk>", "pl", "an<", "/th", "ink", ">", "\n\n", "Ans", "wer"],
    [["thinking", "plan"], ["text", "Answer"]],
  ],
  ["leading whitespace before the tag", ["\n  ", "<think>x</think>y"], [["thinking", "x"], ["text", "y"]]],
  ["a tag after visible text is text", ["Use <think>tags</think> like this"], [[
    "text",
    "Use <think>tags</think> like this",
  ]]],
  ["a '<' inside reasoning is kept", ["<think>a < b and </thin", "king> c</think>ok"], [
    ["thinking", "a < b and </thinking> c"],
    ["text", "ok"],
  ]],
  ["unterminated reasoning is flushed as thinking", ["<think>still going</thi"], [[
    "thinking",
    "still going</thi",
  ]]],
  ["a partial opener that never completes is text", ["<thi"], [["text", "<thi"]]],
  ["a partial opener followed by other text", ["<th", "ree>"], [["text", "<three>"]]],
  ["whitespace-only content emits nothing", ["\n", " "], []],
  ["emoji and CJK survive", ["<think>考虑🤔</think>你好🌍"], [["thinking", "考虑🤔"], ["text", "你好🌍"]]],
];

for (const [name, chunks, expected] of cases) {
  Deno.test(`createThinkTagSplitter: ${name}`, () => {
    assert.deepEqual(split(chunks), expected);
  });
}
