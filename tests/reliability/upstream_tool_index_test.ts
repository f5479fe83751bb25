// Tool-call numbering from an upstream is checked before any state is keyed by it: an index must be small and
// dense, one index is one call (same id, same name), and no two calls share an id. Anything else is a
// malformed upstream event: a 502 before the first byte, an error event after it. Found: `"index":
// 4294967294` in a chat stream built a sparse array walked for 66 s; a second call reusing an index was merged
// into the first (`{"x":1}GARBAGE`); a duplicated tool id reached the client.
import * as assert from "node:assert/strict";
import { dataFrames, namedFrames } from "../support/fake_upstream.ts";
import {
  makeGateway,
  messagesRequest,
  readSse,
  simpleBody,
  streamResponse,
} from "../support/reliability_harness.ts";

const KEY = { key: "sk-client-tool-index" };

interface Case {
  name: string;
  model: string;
  frames: string;
  /** What the error message must say. */
  says: RegExp;
}

/** Runs a case non-stream (502) and stream (error event as the last event); returns nothing on success. */
async function expectMalformed({ model, frames, says }: Case): Promise<void> {
  const { handler } = makeGateway({ RETRIES: "0" }, () => streamResponse([frames]));
  const response = await handler(messagesRequest(simpleBody(model), KEY));
  assert.equal(response.status, 502, await response.clone().text());
  const json = await response.json();
  assert.equal(json.error.type, "api_error");
  assert.match(json.error.message, /^Malformed upstream event: /);
  assert.match(json.error.message, says);
  const streamed = await handler(messagesRequest(simpleBody(model, { stream: true }), KEY));
  assert.equal(streamed.status, 200);
  const events = await readSse(streamed);
  const last = events.at(-1) as { type: string; error?: { message: string } };
  assert.equal(last.type, "error");
  assert.match(last.error!.message, says);
  // Nothing about the broken call reached the client as a finished message.
  assert.ok(!events.some((event) => event.type === "message_stop"));
}

const chatChunk = (toolCalls: unknown[]) => ({
  id: "c",
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: null }],
});
const call = (index: unknown, id: string | undefined, name: string | undefined, args: string) => ({
  index,
  ...(id ? { id, type: "function" } : {}),
  function: { ...(name ? { name } : {}), arguments: args },
});
const chatFinish = { id: "c", choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] };

const chatCases: Case[] = [
  {
    name: "index 4294967294",
    model: "kimi-k2.6",
    frames: dataFrames([chatChunk([call(4294967294, "call_a", "Read", '{"x":1}')]), chatFinish]),
    says: /tool_calls\[\]\.index 4294967294 is not a whole number from 0 to 1023/,
  },
  {
    name: "index 1e8",
    model: "kimi-k2.6",
    frames: dataFrames([chatChunk([call(1e8, "call_a", "Read", "{}")]), chatFinish]),
    says: /index 100000000 is not a whole number/,
  },
  {
    name: "negative and fractional indices",
    model: "glm-5.1",
    frames: dataFrames([chatChunk([call(-1, "call_a", "Read", "{}")]), chatFinish]),
    says: /index -1 is not a whole number/,
  },
  {
    name: "fractional index",
    model: "glm-5.1",
    frames: dataFrames([chatChunk([call(0.5, "call_a", "Read", "{}")]), chatFinish]),
    says: /index 0\.5 is not a whole number/,
  },
  {
    name: "a gap before the first call",
    model: "kimi-k2.6",
    frames: dataFrames([chatChunk([call(1, "call_a", "Read", "{}")]), chatFinish]),
    says: /index 1 skips ahead: the next tool call must be tool_calls\[\]\.index 0/,
  },
  {
    name: "a gap between calls",
    model: "kimi-k2.6",
    frames: dataFrames([
      chatChunk([call(0, "call_a", "Read", "{}")]),
      chatChunk([call(2, "call_b", "Read", "{}")]),
      chatFinish,
    ]),
    says: /index 2 skips ahead/,
  },
  {
    name: "a second call reusing index 0",
    model: "kimi-k2.6",
    frames: dataFrames([
      chatChunk([call(0, "call_a", "Read", '{"x":1}')]),
      chatChunk([call(0, "call_b", "Write", "GARBAGE")]),
      chatFinish,
    ]),
    says: /index 0 is reused by a second tool call \(id "call_b" after "call_a"\)/,
  },
  {
    name: "an index whose tool name changes",
    model: "kimi-k2.6",
    frames: dataFrames([
      chatChunk([call(0, "call_a", "Read", '{"x":')]),
      chatChunk([call(0, undefined, "Write", "1}")]),
      chatFinish,
    ]),
    says: /index 0 changed its tool name/,
  },
  {
    name: "one id on two indices",
    model: "deepseek-v4-pro",
    frames: dataFrames([
      chatChunk([call(0, "call_a", "Read", "{}")]),
      chatChunk([call(1, "call_a", "Read", "{}")]),
      chatFinish,
    ]),
    says: /tool call id "call_a" is used by two tool calls/,
  },
];

Deno.test("chat upstream: tool-call indices that are huge, sparse, reused or share an id are malformed events", async (t) => {
  for (const testCase of chatCases) await t.step(testCase.name, () => expectMalformed(testCase));
});

Deno.test("chat upstream: dense parallel calls, late names and repeated ids on one index still work", async () => {
  const frames = dataFrames([
    chatChunk([call(0, "call_a", undefined, '{"a":'), call(1, "call_b", "Write", '{"b":')]),
    chatChunk([call(0, "call_a", "Read", "1}"), call(1, undefined, "Write", "2}")]),
    chatFinish,
  ]);
  const { handler } = makeGateway({ RETRIES: "0" }, () => streamResponse([frames]));
  const response = await handler(messagesRequest(simpleBody("kimi-k2.6"), KEY));
  assert.equal(response.status, 200);
  const message = await response.json();
  // A call whose name comes late opens after the one that named itself at once.
  assert.deepEqual(
    message.content.map((
      block: { id: string; name: string; input: unknown },
    ) => [block.id, block.name, block.input]),
    [["call_b", "Write", { b: 2 }], ["call_a", "Read", { a: 1 }]],
  );
});

const responsesEvent = (type: string, extra: Record<string, unknown>) => ({ type, ...extra });
const functionItem = (id: string, callId: string) => ({
  type: "function_call",
  id,
  call_id: callId,
  name: "Read",
  arguments: "",
});
const responsesDone = responsesEvent("response.completed", {
  response: { id: "r", status: "completed", output: [], usage: { input_tokens: 1, output_tokens: 1 } },
});
const created = responsesEvent("response.created", {
  response: { id: "r", status: "in_progress", output: [] },
});

const responsesCases: Case[] = [
  {
    name: "output_index 4294967294",
    model: "gpt-5.5",
    frames: namedFrames([
      created,
      responsesEvent("response.output_item.added", {
        output_index: 4294967294,
        item: functionItem("fc_1", "c1"),
      }),
      responsesDone,
    ]),
    says: /output_index 4294967294 is not a whole number/,
  },
  {
    name: "a gap in output_index",
    model: "gpt-5.5",
    frames: namedFrames([
      created,
      responsesEvent("response.output_item.added", { output_index: 3, item: functionItem("fc_1", "c1") }),
      responsesDone,
    ]),
    says: /output_index 3 skips ahead/,
  },
  {
    name: "a second item on an output_index",
    model: "gpt-5.5",
    frames: namedFrames([
      created,
      responsesEvent("response.output_item.added", { output_index: 0, item: functionItem("fc_1", "c1") }),
      responsesEvent("response.output_item.added", { output_index: 0, item: functionItem("fc_2", "c2") }),
      responsesDone,
    ]),
    says: /output_index 0 is reused by a second tool call/,
  },
  {
    name: "one call_id on two function calls",
    model: "gpt-5.5",
    frames: namedFrames([
      created,
      responsesEvent("response.output_item.added", { output_index: 0, item: functionItem("fc_1", "c1") }),
      responsesEvent("response.output_item.added", { output_index: 1, item: functionItem("fc_2", "c1") }),
      responsesDone,
    ]),
    says: /function_call id "c1" is used twice/,
  },
];

Deno.test("responses upstream: output_index and call ids follow the same rules", async (t) => {
  for (const testCase of responsesCases) await t.step(testCase.name, () => expectMalformed(testCase));
});

const frames = (objects: Record<string, unknown>[]) => namedFrames(objects as { type: string }[]);
const anthropicStart = frames([{
  type: "message_start",
  message: {
    id: "m",
    type: "message",
    role: "assistant",
    model: "minimax-m2.7",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 0 },
  },
}]);
const toolStart = (index: number, id: string) => ({
  type: "content_block_start",
  index,
  content_block: { type: "tool_use", id, name: "Read", input: {} },
});
const anthropicEnd = frames([
  {
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { output_tokens: 1 },
  },
  { type: "message_stop" },
] as { type: string }[]);

const anthropicCases: Case[] = [
  {
    name: "index 4294967294",
    model: "minimax-m2.7",
    frames: anthropicStart + namedFrames([toolStart(4294967294, "toolu_1")]) + anthropicEnd,
    says: /content_block_start index 4294967294 is not a whole number/,
  },
  {
    name: "a second block on an index",
    model: "minimax-m2.7",
    frames: anthropicStart + namedFrames([toolStart(0, "toolu_1"), toolStart(0, "toolu_2")]) + anthropicEnd,
    says: /content_block_start index 0 opens a second block/,
  },
  {
    name: "one tool id on two blocks",
    model: "minimax-m2.7",
    frames: anthropicStart +
      frames([toolStart(0, "toolu_1"), { type: "content_block_stop", index: 0 }, toolStart(1, "toolu_1")]) +
      anthropicEnd,
    says: /tool_use id "toolu_1" is used by two tool calls/,
  },
];

Deno.test("anthropic upstream (translated and passed through): block indices open once and tool ids are unique", async (t) => {
  for (const testCase of anthropicCases) await t.step(testCase.name, () => expectMalformed(testCase));
});

Deno.test("gemini upstream: more function calls than the cap in one answer is a malformed answer", async () => {
  const parts = Array.from({ length: 1_025 }, () => ({ functionCall: { name: "Read", args: {} } }));
  await expectMalformed({
    name: "too many calls",
    model: "gemini-3-flash",
    frames: dataFrames(
      [{ candidates: [{ content: { role: "model", parts }, finishReason: "STOP" }] }],
      false,
    ),
    says: /more than 1024 function calls in one answer/,
  });
});

/** A same-format client's streamed request to `path` over `frames`; returns the SSE `data:` objects. */
async function passthroughEvents(path: string, body: Record<string, unknown>, frames: string) {
  const { handler } = makeGateway({ RETRIES: "0" }, () => streamResponse([frames]));
  const response = await handler(
    new Request(`http://gateway.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-client-tool-index" },
      body: JSON.stringify({ ...body, stream: true }),
    }),
  );
  assert.equal(response.status, 200);
  const text = await response.text();
  return text.split("\n\n").flatMap((frame) => frame.split("\n").filter((line) => line.startsWith("data: ")))
    .filter((line) => line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

// A chat client on a chat model gets the upstream's bytes; the SDKs key an array by the index too.
Deno.test("chat pass-through: a chat client gets an error frame instead of a malformed tool-call index", async (t) => {
  for (const testCase of chatCases) {
    await t.step(testCase.name, async () => {
      const body = { model: testCase.model, messages: [{ role: "user", content: "Hi" }] };
      const last = (await passthroughEvents("/v1/chat/completions", body, testCase.frames)).at(-1) as {
        error: { message: string };
      };
      assert.match(last.error.message, /^Malformed upstream event: /);
      assert.match(last.error.message, testCase.says);
    });
  }
});

Deno.test("responses pass-through: a Responses client gets an error event instead of a malformed output_index", async (t) => {
  for (const testCase of responsesCases) {
    await t.step(testCase.name, async () => {
      const events = await passthroughEvents(
        "/v1/responses",
        { model: testCase.model, input: "Hi" },
        testCase.frames,
      );
      const last = events.at(-1) as { type: string; message: string };
      assert.equal(last.type, "error");
      assert.match(last.message, /^Malformed upstream event: /);
      assert.match(last.message, testCase.says);
      assert.ok(!events.some((event) => event.type === "response.completed"));
    });
  }
});
