/**
 * `/v1/chat/completions` end to end with the official `openai` SDK: pass-through to a fake chat upstream
 * (model rewritten, usage asked for, cost chunk dropped) and translation through the hub to a fake
 * messages-family upstream (MiniMax-like), including parallel tool calls and a tool round trip.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import type { Catalog } from "../../lib/catalog/types.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { type FakeAnthropicScript, startFakeAnthropicUpstream } from "../support/fake_anthropic_upstream.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { startFakeResponsesUpstream } from "../support/fake_responses_upstream.ts";
import {
  byteChunks,
  dataFrames,
  type FakeHandler,
  type FakeUpstream,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";

/** The client's name for the chat model differs from the upstream id, so the rename is visible. */
const CHAT_ALIAS = "my-kimi";
const CHAT_MODEL = "kimi-k2.6";
const MESSAGES_MODEL = "minimax-m3";
const RESPONSES_MODEL = "grok-4.5";

function aliasing(catalog: Catalog): Catalog {
  return {
    resolve: async (name, options) =>
      name === CHAT_ALIAS
        ? { ...(await catalog.resolve(CHAT_MODEL, options)), requested: CHAT_ALIAS }
        : await catalog.resolve(name, options),
    list: (options) => catalog.list(options),
  };
}

async function withGateway(
  fake: FakeUpstream,
  run: (client: OpenAI, url: string) => Promise<void>,
  headers: Record<string, string> = {},
): Promise<void> {
  const catalog = fakeCatalog([
    { id: CHAT_MODEL, family: "openai-chat" },
    { id: MESSAGES_MODEL, family: "anthropic", interleavedField: null },
    { id: RESPONSES_MODEL, family: "openai-responses", interleavedField: null },
  ], { go: fake.url });
  const gateway = serveGateway(
    testGateway(testConfig({ RETRIES: "0" }), { catalog: aliasing(catalog) }),
  );
  try {
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: "test-key",
      maxRetries: 0,
      defaultHeaders: headers,
    });
    await run(client, gateway.url);
  } finally {
    await gateway.close();
    await fake.close();
  }
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-up",
  object: "chat.completion.chunk",
  created: 1,
  model: CHAT_MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** Kimi through OpenCode Go: reasoning, two parallel calls, a usage chunk, [DONE], then the cost chunk. */
const parallelCalls = dataFrames([
  chunk({ role: "assistant", content: "" }),
  chunk({ reasoning_content: "Two cities: é" }),
  chunk({
    tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "weather", arguments: "" } }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Par' } }] }),
  chunk({
    tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "weather", arguments: "" } }],
  }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Rome"}' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }),
  chunk({}, "tool_calls"),
  { ...chunk({}), choices: [], usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59 } },
]) + 'data: {"choices":[],"cost":"0.0001"}\n\n';

const tools: OpenAI.Chat.ChatCompletionTool[] = [{
  type: "function",
  function: {
    name: "weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
}];

const chatUpstream = (reply: (body: Record<string, unknown>) => Response): FakeUpstream =>
  startFakeUpstream(((request) => reply(request.body as Record<string, unknown>)) as FakeHandler);

Deno.test("chat pass-through streams parallel tool calls with the model renamed and the cost chunk dropped", async () => {
  const fake = chatUpstream(() => sseResponse(byteChunks(parallelCalls, 7)));
  await withGateway(fake, async (client, url) => {
    const stream = client.chat.completions.stream({
      model: CHAT_ALIAS,
      messages: [{ role: "user", content: "Weather in Paris and Rome?" }],
      tools,
    });
    const models = new Set<string>();
    stream.on("chunk", (received) => models.add(received.model));
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, "tool_calls");
    assert.deepEqual(message.tool_calls?.map((call) => call.type === "function" && call.function), [
      { name: "weather", arguments: '{"city":"Paris"}' },
      { name: "weather", arguments: '{"city":"Rome"}' },
    ]);
    assert.deepEqual([...models], [CHAT_ALIAS]);
    const sent = fake.requests[0];
    assert.equal(sent.path, "/chat/completions");
    const body = sent.body as Record<string, unknown>;
    assert.equal(body.model, CHAT_MODEL);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.deepEqual(body.tools, tools);
    assert.equal(sent.headers.get("authorization"), "Bearer test-key");
    assert.equal(sent.headers.get("user-agent"), "opencode-bridge/0.1.0");
    assert.match(sent.headers.get("x-opencode-session") ?? "", /^ocb-[0-9a-f]{8}-h[0-9a-f]{24}$/);

    // The raw bytes: no usage-only chunk (the client did not ask), nothing after [DONE].
    const raw = await (await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: CHAT_ALIAS, stream: true, messages: [{ role: "user", content: "x" }] }),
    })).text();
    assert.ok(raw.endsWith("data: [DONE]\n\n"));
    assert.ok(!raw.includes('"usage"'));
    assert.ok(!raw.includes("cost"));
  });
});

Deno.test("chat pass-through keeps the usage chunk a client asked for and its session header", async () => {
  const fake = chatUpstream(() => sseResponse(byteChunks(parallelCalls, 64)));
  await withGateway(fake, async (client) => {
    const stream = await client.chat.completions.create({
      model: CHAT_ALIAS,
      messages: [{ role: "user", content: "x" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const received of stream) usage = received.usage ?? usage;
    assert.equal(usage?.prompt_tokens, 50);
    assert.match(fake.requests[0].headers.get("x-opencode-session") ?? "", /^ocb-[0-9a-f]{8}-conv-7$/);
  }, { "x-session-affinity": "conv-7" });
});

Deno.test("chat pass-through relays a non-stream completion without OpenCode's cost field", async () => {
  const fake = chatUpstream((body) =>
    Response.json({
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      cost: "0.0001",
    })
  );
  await withGateway(fake, async (client) => {
    const completion = await client.chat.completions.create({
      model: CHAT_ALIAS,
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(completion.model, CHAT_ALIAS);
    assert.equal(completion.choices[0].message.content, "Hello");
    assert.equal((completion as unknown as Record<string, unknown>).cost, undefined);
    assert.equal((fake.requests[0].body as Record<string, unknown>).stream_options, undefined);
  });
});

Deno.test("chat pass-through turns a cut stream into an APIError", async () => {
  const cut = dataFrames([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" })], false);
  const fake = chatUpstream(() => sseResponse(byteChunks(cut, 16)));
  await withGateway(fake, async (client) => {
    const stream = await client.chat.completions.create({
      model: CHAT_ALIAS,
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    await assert.rejects(async () => {
      for await (const _ of stream) { /* drain */ }
    }, (error: Error) => error instanceof OpenAI.APIError && /ended before completion/.test(error.message));
  });
});

Deno.test("chat route answers upstream and request errors in OpenAI's shape", async () => {
  const fake = chatUpstream(() =>
    Response.json(
      {
        type: "error",
        error: { type: "GoUsageLimitError", message: "limit" },
        metadata: { limitName: "5 hour" },
      },
      { status: 429, headers: { "retry-after": "60" } },
    )
  );
  await withGateway(fake, async (client, url) => {
    await assert.rejects(
      client.chat.completions.create({ model: CHAT_ALIAS, messages: [{ role: "user", content: "hi" }] }),
      (error: InstanceType<typeof OpenAI.APIError>) =>
        error.status === 429 && /usage limit reached/.test(error.message) &&
        (error.error as { type?: string }).type === "rate_limit_error",
    );
    const bad = await fetch(`${url}/go/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ model: CHAT_MODEL, messages: [{ role: "robot", content: "x" }] }),
    });
    assert.equal(bad.status, 400);
    const body = await bad.json();
    assert.equal(body.error.type, "invalid_request_error");
    assert.match(body.error.message, /^messages\.0\.role/);
    const unknown = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ model: "nope", messages: [{ role: "user", content: "x" }] }),
    });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, "not_found_error");
  });
});

/** A MiniMax-like turn: thinking, then two parallel tool calls; plain text once the results are back. */
const weatherScript: FakeAnthropicScript = (request) => {
  const body = request.body as { messages: { content: unknown }[] };
  const last = body.messages.at(-1)?.content;
  if (Array.isArray(last) && last.some((block) => block?.type === "tool_result")) {
    return { text: "Paris is sunny, Rome is rainy." };
  }
  return {
    thinking: "Two cities, two calls.",
    toolUses: [{ name: "weather", input: { city: "Paris" } }, { name: "weather", input: { city: "Rome" } }],
    usage: { input_tokens: 40, output_tokens: 12, cache_read_input_tokens: 10 },
  };
};

Deno.test("chat client to a messages-family model: streamed parallel calls, usage, and a tool round trip", async () => {
  const fake = startFakeAnthropicUpstream({ script: weatherScript, chunkSize: 23 });
  await withGateway(fake, async (client) => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: "system", content: "You report weather." },
      { role: "user", content: "Weather in Paris and Rome?" },
    ];
    const stream = client.chat.completions.stream({
      model: MESSAGES_MODEL,
      messages,
      tools,
      stream_options: { include_usage: true },
      reasoning_effort: "low",
      max_completion_tokens: 4000,
    });
    let usage: OpenAI.CompletionUsage | undefined;
    let reasoning = "";
    stream.on("chunk", (received) => {
      usage = received.usage ?? usage;
      const delta = received.choices[0]?.delta as { reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? "";
    });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0].message;
    assert.equal(completion.choices[0].finish_reason, "tool_calls");
    assert.equal(completion.model, MESSAGES_MODEL);
    // The SDK keeps only the last fragment of a field it does not know, so the chunks are summed here.
    assert.equal(reasoning, "Two cities, two calls.");
    const calls = message.tool_calls!.filter((call) => call.type === "function");
    assert.deepEqual(calls.map((call) => JSON.parse(call.function.arguments)), [{ city: "Paris" }, {
      city: "Rome",
    }]);
    assert.deepEqual(usage, {
      prompt_tokens: 50,
      completion_tokens: 12,
      total_tokens: 62,
      prompt_tokens_details: { cached_tokens: 10 },
    });
    const first = fake.requests[0].body as Record<string, unknown>;
    assert.equal(first.max_tokens, 4000);
    assert.deepEqual(first.thinking, { type: "enabled", budget_tokens: 2048 });

    const answer = await client.chat.completions.create({
      model: MESSAGES_MODEL,
      messages: [
        ...messages,
        { ...message, reasoning_content: reasoning } as OpenAI.Chat.ChatCompletionAssistantMessageParam,
        { role: "tool", tool_call_id: calls[0].id, content: "sunny" },
        { role: "tool", tool_call_id: calls[1].id, content: "rainy" },
      ],
      tools,
    });
    assert.equal(answer.choices[0].message.content, "Paris is sunny, Rome is rainy.");
    assert.equal(answer.choices[0].finish_reason, "stop");
    assert.deepEqual(fake.rejections, []);
    const second = fake.requests[1].body as { messages: { role: string; content: { type: string }[] }[] };
    assert.deepEqual(second.messages.at(-1)?.content.map((block) => block.type), [
      "tool_result",
      "tool_result",
    ]);
  });
});

Deno.test("chat client to a responses-family model: a call and its round trip through the hub", async () => {
  const fake = startFakeResponsesUpstream((_body, turn) =>
    turn === 0
      ? { reasoning: ["Need weather."], calls: [{ name: "weather", arguments: { city: "Oslo" } }] }
      : { text: "Cold in Oslo." }
  );
  await withGateway(fake, async (client) => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{
      role: "user",
      content: "Weather in Oslo?",
    }];
    const first = await client.chat.completions.create({ model: RESPONSES_MODEL, messages, tools });
    const call = first.choices[0].message.tool_calls?.[0];
    assert.equal(first.choices[0].finish_reason, "tool_calls");
    assert.ok(call?.type === "function" && JSON.parse(call.function.arguments).city === "Oslo");
    const second = await client.chat.completions.create({
      model: RESPONSES_MODEL,
      messages: [...messages, first.choices[0].message, {
        role: "tool",
        tool_call_id: call.id,
        content: "-3 C",
      }],
      tools,
    });
    assert.equal(second.choices[0].message.content, "Cold in Oslo.");
    const input = (fake.requests.at(-1)!.body as { input: { type?: string }[] }).input;
    assert.ok(input.some((item) => item.type === "function_call_output"));
  });
});
