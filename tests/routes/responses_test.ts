/**
 * `/v1/responses` end to end with the official `openai` SDK: translation through the hub to a fake chat
 * upstream (parallel calls and a tool round trip) and a fake messages upstream, pass-through to a fake
 * responses upstream, and the stateless refusal of `previous_response_id`.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { encodeReasoningSignature } from "../../lib/formats/openai-responses/reasoning_signature.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { startFakeAnthropicUpstream } from "../support/fake_anthropic_upstream.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import {
  byteChunks,
  dataFrames,
  type FakeHandler,
  type FakeUpstream,
  namedFrames,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";

const CHAT_MODEL = "kimi-k2.6";
const MESSAGES_MODEL = "qwen3.7-plus";
const RESPONSES_MODEL = "gpt-5.5";

async function withGateway(
  fake: FakeUpstream,
  run: (client: OpenAI, url: string) => Promise<void>,
): Promise<void> {
  const catalog = fakeCatalog([
    { id: CHAT_MODEL, family: "openai-chat" },
    { id: MESSAGES_MODEL, family: "anthropic", interleavedField: null },
    { id: RESPONSES_MODEL, family: "openai-responses", service: "zen" },
  ], { go: fake.url, zen: fake.url });
  const gateway = serveGateway(
    testGateway(testConfig({ RETRIES: "0" }), { catalog }),
  );
  try {
    await run(new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "test-key", maxRetries: 0 }), gateway.url);
  } finally {
    await gateway.close();
    await fake.close();
  }
}

const tools: OpenAI.Responses.FunctionTool[] = [{
  type: "function",
  name: "weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
}];

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-up",
  object: "chat.completion.chunk",
  created: 1,
  model: CHAT_MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

type ChatBody = { messages: { role: string; content?: unknown; reasoning_content?: string }[] };

/** Kimi-like: reasoning and two parallel calls; once both results are back, a short answer. */
const kimiHandler: FakeHandler = (request) => {
  const body = request.body as ChatBody;
  const usage = { ...chunk({}), choices: [], usage: { prompt_tokens: 30, completion_tokens: 8 } };
  const frames = body.messages.at(-1)?.role === "tool"
    ? [
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Sunny and rainy." }),
      chunk({}, "stop"),
      usage,
    ]
    : [
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoning_content: "Two calls." }),
      chunk({
        tool_calls: [{
          index: 0,
          id: "call_a",
          type: "function",
          function: { name: "weather", arguments: "" },
        }],
      }),
      chunk({
        tool_calls: [{
          index: 1,
          id: "call_b",
          type: "function",
          function: { name: "weather", arguments: "" },
        }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Rome"}' } }] }),
      chunk({}, "tool_calls"),
      usage,
    ];
  return sseResponse(byteChunks(dataFrames(frames) + 'data: {"choices":[],"cost":"0"}\n\n', 19));
};

Deno.test("responses client to a chat model: streamed parallel calls, then a tool round trip", async () => {
  const fake = startFakeUpstream(kimiHandler);
  await withGateway(fake, async (client) => {
    const input: OpenAI.Responses.ResponseInputItem[] = [{
      role: "user",
      content: "Weather in Paris and Rome?",
    }];
    const stream = client.responses.stream({
      model: CHAT_MODEL,
      input,
      instructions: "You report weather.",
      tools,
      reasoning: { effort: "high" },
      max_output_tokens: 32000,
      store: false,
    });
    const deltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    assert.equal(response.status, "completed");
    assert.equal(response.model, CHAT_MODEL);
    const calls = response.output.filter((item) => item.type === "function_call");
    assert.deepEqual(calls.map((call) => [call.call_id, call.arguments]), [
      ["call_a", '{"city":"Paris"}'],
      ["call_b", '{"city":"Rome"}'],
    ]);
    assert.deepEqual(deltas, ['{"city":"Paris"}', '{"city":"Rome"}']);
    const reasoning = response.output.find((item) => item.type === "reasoning");
    assert.deepEqual(reasoning?.summary, [{ type: "summary_text", text: "Two calls." }]);
    assert.equal(response.usage?.input_tokens, 30);

    const first = fake.requests[0].body as ChatBody & Record<string, unknown>;
    assert.equal(first.model, CHAT_MODEL);
    assert.deepEqual(first.messages[0], { role: "system", content: "You report weather." });

    const answer = await client.responses.create({
      model: CHAT_MODEL,
      input: [
        ...input,
        ...response.output as OpenAI.Responses.ResponseInputItem[],
        { type: "function_call_output", call_id: "call_a", output: "sunny" },
        { type: "function_call_output", call_id: "call_b", output: "rainy" },
      ],
      tools,
      store: false,
    });
    assert.equal(answer.output_text, "Sunny and rainy.");
    const second = fake.requests[1].body as ChatBody;
    const assistant = second.messages.find((message) => message.role === "assistant");
    // The reasoning came back through encrypted_content, so the chat upstream gets it replayed.
    assert.equal(assistant?.reasoning_content, "Two calls.");
    assert.deepEqual(second.messages.filter((message) => message.role === "tool").length, 2);
  });
});

Deno.test("responses client to a messages-family model, non-stream", async () => {
  const fake = startFakeAnthropicUpstream({ script: () => ({ thinking: "Hmm.", text: "Hello there." }) });
  await withGateway(fake, async (client) => {
    const response = await client.responses.create({ model: MESSAGES_MODEL, input: "Say hello" });
    assert.equal(response.output_text, "Hello there.");
    assert.deepEqual(response.output.map((item) => item.type), ["reasoning", "message"]);
    assert.deepEqual(fake.rejections, []);
  });
});

Deno.test("responses pass-through relays numbered events up to the terminal one", async () => {
  const item = { id: "msg_1", type: "message", role: "assistant", status: "completed", content: [] };
  const base = { id: "resp_1", object: "response", created_at: 1, model: RESPONSES_MODEL, output: [] };
  const events = [
    { type: "response.created", response: { ...base, status: "in_progress" } },
    { type: "response.output_item.added", output_index: 0, item: { ...item, status: "in_progress" } },
    {
      type: "response.content_part.added",
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    },
    { type: "response.output_text.delta", item_id: "msg_1", output_index: 0, content_index: 0, delta: "Hi" },
    { type: "response.output_item.done", output_index: 0, item },
    {
      type: "response.completed",
      response: {
        ...base,
        status: "completed",
        output: [{ ...item, content: [{ type: "output_text", text: "Hi", annotations: [] }] }],
      },
    },
  ].map((event, index) => ({ ...event, sequence_number: index }));
  const fake = startFakeUpstream(() =>
    sseResponse(byteChunks(namedFrames(events) + 'event: ping\ndata: {"type":"ping","cost":"0.1"}\n\n', 13))
  );
  await withGateway(fake, async (client, url) => {
    const stream = client.responses.stream({
      model: RESPONSES_MODEL,
      input: "hi",
      reasoning: { effort: "low" },
    });
    const response = await stream.finalResponse();
    assert.equal(response.output_text, "Hi");
    const body = fake.requests[0].body as Record<string, unknown>;
    assert.equal(fake.requests[0].path, "/responses");
    assert.deepEqual(body.reasoning, { effort: "low" });
    assert.equal(body.stream, true);
    const raw = await (await fetch(`${url}/zen/v1/responses`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ model: RESPONSES_MODEL, input: "hi", stream: true }),
    })).text();
    assert.ok(raw.trimEnd().endsWith("}"));
    assert.ok(!raw.includes("cost"));
  });
});

// Client saw: OpenAI rejecting a Codex session that switched from kimi to gpt-5.5, because the reasoning
// item kimi's turn produced went upstream with the gateway's envelope (`"encrypted_content":"ocb1.openai-chat."`).
Deno.test("responses pass-through sends no gateway envelope upstream after a switch from a translated model", async () => {
  const base = { id: "resp_2", object: "response", created_at: 1, model: RESPONSES_MODEL, output: [] };
  const events = [
    { type: "response.created", response: { ...base, status: "in_progress" } },
    { type: "response.completed", response: { ...base, status: "completed" } },
  ].map((event, index) => ({ ...event, sequence_number: index }));
  const fake = startFakeUpstream((request, signal) =>
    request.path === "/responses"
      ? sseResponse(byteChunks(namedFrames(events), 13))
      : kimiHandler(request, signal)
  );
  await withGateway(fake, async (client) => {
    const input: OpenAI.Responses.ResponseInputItem[] = [{
      role: "user",
      content: "Weather in Paris and Rome?",
    }];
    const kimi = await client.responses.create({ model: CHAT_MODEL, input, tools, store: false });
    const kimiReasoning = kimi.output.find((item) => item.type === "reasoning");
    assert.ok(kimiReasoning?.encrypted_content?.startsWith("ocb1.openai-chat."));
    const genuine = {
      type: "reasoning" as const,
      id: "rs_real",
      encrypted_content: "gAAAAABreal",
      summary: [{ type: "summary_text" as const, text: "Real." }],
    };
    const ownItem = { id: "rs_own", encrypted_content: "gAAAAABown", summary: [{ text: "Mine." }] };
    const own = encodeReasoningSignature(ownItem, RESPONSES_MODEL);
    const otherModel = encodeReasoningSignature({ ...ownItem, id: "rs_other" }, "gpt-5.4");
    await client.responses.stream({
      model: RESPONSES_MODEL,
      input: [
        ...input,
        ...kimi.output as OpenAI.Responses.ResponseInputItem[],
        { type: "function_call_output", call_id: "call_a", output: "sunny" },
        { type: "function_call_output", call_id: "call_b", output: "rainy" },
        genuine,
        { type: "reasoning", id: "rs_gw_own", encrypted_content: own, summary: [] },
        { type: "reasoning", id: "rs_gw_other", encrypted_content: otherModel, summary: [] },
        { role: "user", content: "Thanks" },
      ],
      tools,
      store: false,
      include: ["reasoning.encrypted_content"],
    }).finalResponse();
    const sent = (fake.requests.at(-1)!.body as { input: Record<string, unknown>[] }).input;
    assert.equal(fake.requests.at(-1)!.path, "/responses");
    assert.ok(!JSON.stringify(sent).includes("ocb1."));
    assert.deepEqual(sent.filter((item) => item.type === "reasoning"), [
      genuine,
      {
        type: "reasoning",
        id: "rs_own",
        encrypted_content: "gAAAAABown",
        summary: [{ type: "summary_text", text: "Mine." }],
      },
    ]);
    assert.deepEqual(sent.map((item) => item.type ?? item.role), [
      "user",
      "function_call",
      "function_call",
      "function_call_output",
      "function_call_output",
      "reasoning",
      "reasoning",
      "user",
    ]);
  });
});

Deno.test("responses route refuses previous_response_id with a 400 that explains why", async () => {
  const fake = startFakeUpstream(kimiHandler);
  await withGateway(fake, async (client) => {
    await assert.rejects(
      client.responses.create({ model: CHAT_MODEL, input: "again", previous_response_id: "resp_1" }),
      (error: InstanceType<typeof OpenAI.APIError>) =>
        error.status === 400 && /stateless/.test(error.message) && error.param === "previous_response_id",
    );
    assert.equal(fake.requests.length, 0);
  });
});

Deno.test("responses route reports a failed upstream stream as response.failed", async () => {
  const cut = dataFrames([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" })], false);
  const fake = startFakeUpstream(() => sseResponse(byteChunks(cut, 11)));
  await withGateway(fake, async (client) => {
    const stream = await client.responses.create({ model: CHAT_MODEL, input: "hi", stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    assert.equal(types.at(-1), "response.failed");
  });
});
