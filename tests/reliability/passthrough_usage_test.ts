// The pass-through paths log usage like the translated path does: in the hub's Anthropic terms (input
// excluding cache reads, cache reads, output), read from the few upstream events (or the JSON answer) that
// carry it, for Anthropic→Anthropic, Chat→Chat and Responses→Responses, streamed and not.
import * as assert from "node:assert/strict";
import {
  makeGateway,
  messagesRequest,
  type Responder,
  streamResponse,
  waitFor,
} from "../support/reliability_harness.ts";

const AUTH = { authorization: "Bearer sk-client-key" };

/** The usage field of the one request log line, once the whole response has been read. */
async function loggedUsage(respond: Responder, request: Request): Promise<{ usage: unknown; body: string }> {
  const { handler, logs } = makeGateway({ LOG_LEVEL: "info" }, respond);
  const response = await handler(request);
  const body = await response.text();
  assert.equal(response.status, 200, body);
  await waitFor(() => logs.length === 1);
  const line = JSON.parse(logs[0]) as Record<string, unknown>;
  assert.equal(line.msg, "request");
  return { usage: line.usage, body };
}

const anthropicClient = (model: string, stream: boolean) =>
  messagesRequest({ model, max_tokens: 100, stream, messages: [{ role: "user", content: "Hi" }] }, {
    headers: AUTH,
  });
const chatClient = (body: Record<string, unknown>) =>
  messagesRequest({ messages: [{ role: "user", content: "Hi" }], ...body }, {
    path: "/v1/chat/completions",
    headers: AUTH,
  });
const responsesClient = (body: Record<string, unknown>) =>
  messagesRequest({ input: "Hi", ...body }, { path: "/v1/responses", headers: AUTH });

// ---------------------------------------------------------------- Anthropic → Anthropic

const named = (event: { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

function anthropicFrames(): string[] {
  return [
    named({
      type: "message_start",
      message: {
        id: "msg_up",
        type: "message",
        role: "assistant",
        model: "minimax-m2.7",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 40,
          output_tokens: 1,
          cache_read_input_tokens: 60,
          cache_creation_input_tokens: 5,
          service_tier: "standard",
        },
      },
    } as { type: string }),
    named(
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } as {
        type: string;
      },
    ),
    // Text that looks like usage is never read as usage.
    named({
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: '"usage":{"input_tokens":999}' },
    } as { type: string }),
    named({ type: "content_block_stop", index: 0 } as { type: string }),
    named({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 7 },
    } as { type: string }),
    named({ type: "message_stop" }),
  ];
}

const ANTHROPIC_USAGE = {
  input_tokens: 40,
  output_tokens: 7,
  cache_read_input_tokens: 60,
  cache_creation_input_tokens: 5,
};

Deno.test("anthropic pass-through stream: usage from message_start and message_delta is logged", async () => {
  const frames = anthropicFrames();
  const { usage, body } = await loggedUsage(
    () => streamResponse(frames),
    anthropicClient("minimax-m2.7", true),
  );
  assert.deepEqual(usage, ANTHROPIC_USAGE);
  // Still the upstream's bytes, exactly.
  assert.equal(body, frames.join(""));
});

Deno.test("anthropic non-stream (collected through the hub): the same usage is logged", async () => {
  const { usage } = await loggedUsage(
    () => streamResponse(anthropicFrames()),
    anthropicClient("minimax-m2.7", false),
  );
  assert.deepEqual(usage, ANTHROPIC_USAGE);
});

Deno.test("anthropic pass-through logs what the translated path logs for the same upstream stream", async () => {
  const passthrough = await loggedUsage(
    () => streamResponse(anthropicFrames()),
    anthropicClient("minimax-m2.7", true),
  );
  const translated = await loggedUsage(
    () => streamResponse(anthropicFrames()),
    chatClient({ model: "minimax-m2.7", stream: true }),
  );
  assert.deepEqual(passthrough.usage, translated.usage);
});

Deno.test("anthropic pass-through: input and cache counts in message_delta override message_start's", async () => {
  const frames = anthropicFrames();
  frames[4] = named({
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { input_tokens: 41, cache_read_input_tokens: 61, output_tokens: 8, server_tool_use: null },
  } as { type: string });
  const { usage } = await loggedUsage(() => streamResponse(frames), anthropicClient("minimax-m2.7", true));
  assert.deepEqual(usage, {
    input_tokens: 41,
    output_tokens: 8,
    cache_read_input_tokens: 61,
    cache_creation_input_tokens: 5,
  });
});

// ---------------------------------------------------------------- Chat → Chat

const CHAT_HIT = { input_tokens: 40, output_tokens: 7, cache_read_input_tokens: 60 };

function chatChunk(fields: Record<string, unknown>): string {
  return `data: ${
    JSON.stringify({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "kimi-k2.6",
      ...fields,
    })
  }\n\n`;
}

/** Kimi: `"usage":null` on every chunk, then a usage-only chunk with the top-level `cached_tokens`. */
function kimiFrames(): string[] {
  return [
    chatChunk({
      choices: [{
        index: 0,
        delta: { role: "assistant", content: '"usage":{"prompt_tokens":1}' },
        finish_reason: null,
      }],
      usage: null,
    }),
    chatChunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null }),
    chatChunk({
      choices: [],
      usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, cached_tokens: 60 },
    }),
    "data: [DONE]\n\n",
  ];
}

Deno.test("chat pass-through stream: the usage-only chunk is logged (Kimi's cached_tokens), then dropped", async () => {
  const { usage, body } = await loggedUsage(
    () => streamResponse(kimiFrames()),
    chatClient({ model: "kimi-k2.6", stream: true }),
  );
  assert.deepEqual(usage, CHAT_HIT);
  // The client did not ask for usage: the chunk the gateway asked for is not forwarded.
  assert.doesNotMatch(body, /"completion_tokens"/);
});

Deno.test("chat pass-through stream: the client that asked for usage gets the chunk, and it is logged", async () => {
  const frames = kimiFrames();
  const { usage, body } = await loggedUsage(
    () => streamResponse(frames),
    chatClient({ model: "kimi-k2.6", stream: true, stream_options: { include_usage: true } }),
  );
  assert.deepEqual(usage, CHAT_HIT);
  assert.equal(body, frames.join(""));
});

Deno.test("chat pass-through stream: usage on the finish chunk, spaced JSON, DeepSeek's prompt_cache_hit_tokens", async () => {
  const frames = [
    chatChunk({ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] }),
    `data: {"id": "c", "model": "kimi-k2.6", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], ` +
    `"usage" : {"prompt_tokens": 100, "completion_tokens": 7, "prompt_cache_hit_tokens": 60, ` +
    `"prompt_cache_miss_tokens": 40}}\n\n`,
    "data: [DONE]\n\n",
  ];
  const { usage } = await loggedUsage(
    () => streamResponse(frames),
    chatClient({ model: "kimi-k2.6", stream: true }),
  );
  assert.deepEqual(usage, CHAT_HIT);
});

Deno.test("chat pass-through stream: OpenAI's prompt_tokens_details and cache writes", async () => {
  const frames = [
    chatChunk({ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: "stop" }] }),
    chatChunk({
      choices: [],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 7,
        prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 10 },
      },
    }),
    "data: [DONE]\n\n",
  ];
  const { usage } = await loggedUsage(
    () => streamResponse(frames),
    chatClient({ model: "kimi-k2.6", stream: true }),
  );
  assert.deepEqual(usage, { ...CHAT_HIT, input_tokens: 30, cache_creation_input_tokens: 10 });
});

Deno.test("chat pass-through logs what the translated path logs for the same upstream stream", async () => {
  const passthrough = await loggedUsage(
    () => streamResponse(kimiFrames()),
    chatClient({ model: "kimi-k2.6", stream: true }),
  );
  const translated = await loggedUsage(
    () => streamResponse(kimiFrames()),
    anthropicClient("kimi-k2.6", true),
  );
  assert.deepEqual(passthrough.usage, translated.usage);
});

Deno.test("chat pass-through non-stream: usage from the answer's JSON", async () => {
  const { usage, body } = await loggedUsage(
    () =>
      Response.json({
        id: "chatcmpl-1",
        object: "chat.completion",
        model: "kimi-k2.6",
        choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 100, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 60 } },
        cost: "0.001",
      }),
    chatClient({ model: "kimi-k2.6" }),
  );
  assert.deepEqual(usage, CHAT_HIT);
  // The client still gets the upstream's own usage.
  assert.equal(JSON.parse(body).usage.prompt_tokens, 100);
});

Deno.test("chat pass-through: an answer without usage (or with a malformed one) logs none and still answers", async () => {
  const frames = [
    chatChunk({ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: "stop" }], usage: null }),
    chatChunk({ choices: [], usage: { prompt_tokens: "lots" } }),
    "data: [DONE]\n\n",
  ];
  const streamed = await loggedUsage(
    () => streamResponse(frames),
    chatClient({ model: "kimi-k2.6", stream: true }),
  );
  assert.equal(streamed.usage, undefined);
  assert.match(streamed.body, /"content":"Hi"/);
  const whole = await loggedUsage(
    () => Response.json({ id: "c", model: "kimi-k2.6", choices: [], usage: null }),
    chatClient({ model: "kimi-k2.6" }),
  );
  assert.equal(whole.usage, undefined);
});

// ---------------------------------------------------------------- Responses → Responses

const RESPONSES_USAGE = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 60 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 107,
};

function responsesFrames(
  terminal: "response.completed" | "response.incomplete" = "response.completed",
): string[] {
  let sequence = 0;
  const event = (fields: { type: string }) =>
    `event: ${fields.type}\ndata: ${JSON.stringify({ ...fields, sequence_number: sequence++ })}\n\n`;
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: "resp_1",
    object: "response",
    model: "gpt-5.5",
    status,
    output: [],
    ...extra,
  });
  return [
    event(
      { type: "response.created", response: response("in_progress", { usage: null }) } as { type: string },
    ),
    event({
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "message", id: "item_0", role: "assistant", status: "in_progress", content: [] },
    } as { type: string }),
    event({
      type: "response.output_text.delta",
      item_id: "item_0",
      output_index: 0,
      content_index: 0,
      delta: '"usage":{"input_tokens":999}',
    } as { type: string }),
    event({
      type: "response.output_item.done",
      output_index: 0,
      item: {
        type: "message",
        id: "item_0",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: '"usage":{"input_tokens":999}', annotations: [] }],
      },
    } as { type: string }),
    event({
      type: terminal,
      response: response(terminal === "response.completed" ? "completed" : "incomplete", {
        usage: RESPONSES_USAGE,
        ...(terminal === "response.incomplete"
          ? { incomplete_details: { reason: "max_output_tokens" } }
          : {}),
      }),
    } as { type: string }),
  ];
}

Deno.test("responses pass-through stream: usage from response.completed is logged", async () => {
  const frames = responsesFrames();
  const { usage, body } = await loggedUsage(
    () => streamResponse(frames),
    responsesClient({ model: "gpt-5.5", stream: true }),
  );
  assert.deepEqual(usage, CHAT_HIT);
  assert.equal(body, frames.join(""));
});

Deno.test("responses pass-through stream: usage from response.incomplete is logged", async () => {
  const { usage } = await loggedUsage(
    () => streamResponse(responsesFrames("response.incomplete")),
    responsesClient({ model: "gpt-5.5", stream: true }),
  );
  assert.deepEqual(usage, CHAT_HIT);
});

Deno.test("responses pass-through logs what the translated path logs for the same upstream stream", async () => {
  const passthrough = await loggedUsage(
    () => streamResponse(responsesFrames()),
    responsesClient({ model: "gpt-5.5", stream: true }),
  );
  const translated = await loggedUsage(
    () => streamResponse(responsesFrames()),
    anthropicClient("gpt-5.5", true),
  );
  assert.deepEqual(passthrough.usage, translated.usage);
});

Deno.test("responses pass-through non-stream: usage from the answer's JSON", async () => {
  const { usage } = await loggedUsage(
    () =>
      Response.json({
        id: "resp_1",
        object: "response",
        model: "gpt-5.5",
        status: "completed",
        output: [],
        usage: RESPONSES_USAGE,
      }),
    responsesClient({ model: "gpt-5.5" }),
  );
  assert.deepEqual(usage, CHAT_HIT);
});
