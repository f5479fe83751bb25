/**
 * `/v1/messages` on an openai-chat upstream, end to end: the official Anthropic SDK talks to the gateway,
 * the gateway talks to a scripted OpenAI-compatible upstream that cuts its SSE mid-character and mid-JSON.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import {
  byteChunks,
  dataFrames,
  type FakeHandler,
  type FakeUpstream,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
import { OPENAI_CHAT_SIGNATURE } from "../../lib/formats/openai/chat_signature.ts";

const MODEL = "kimi-k2.6";
const SESSION = "cc-session-42";

async function withGateway(
  handler: FakeHandler,
  run: (context: { client: Anthropic; url: string; fake: FakeUpstream }) => Promise<void>,
  variables: Record<string, string> = {},
): Promise<void> {
  const fake = startFakeUpstream(handler);
  const gateway = serveGateway(
    testGateway(testConfig({ ...variables }), {
      catalog: fakeCatalog([{ id: MODEL, family: "openai-chat", image: true }], { go: fake.url }),
    }),
  );
  try {
    const client = new Anthropic({
      baseURL: gateway.url,
      apiKey: "test-key",
      maxRetries: 0,
      defaultHeaders: { "x-claude-code-session-id": SESSION },
    });
    await run({ client, url: gateway.url, fake });
  } finally {
    await gateway.close();
    await fake.close();
  }
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-9",
  object: "chat.completion.chunk",
  created: 1,
  model: MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
  usage: null,
});

/** What OpenCode Go sends for a Kimi turn: reasoning, text, two parallel calls, usage after finish, a cost chunk. */
const fullTurn = dataFrames([
  chunk({ role: "assistant", content: "" }),
  chunk({ reasoning_content: "用户想要 two files " }),
  chunk({ reasoning_content: "— easy 🤔" }),
  chunk({ content: "Writing 文件 " }),
  chunk({ content: "now 🌸" }),
  chunk({
    tool_calls: [{
      index: 0,
      id: "functions.Write:0",
      type: "function",
      function: { name: "Write", arguments: "" },
    }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"file_path":"/tmp/a.txt",' } }] }),
  chunk({
    tool_calls: [{
      index: 1,
      id: "functions.Read:1",
      type: "function",
      function: { name: "Read", arguments: '{"file_' },
    }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"content":"héllo 🌍"}' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: 'path":"/tmp/b.txt"}' } }] }),
  chunk({}, "tool_calls"),
  {
    id: "chatcmpl-9",
    choices: [],
    usage: { prompt_tokens: 1200, completion_tokens: 80, prompt_tokens_details: { cached_tokens: 1000 } },
  },
]) + `data: ${JSON.stringify({ choices: [], cost: "0.001" })}\n\n`;

const fullTurnContent = [
  { type: "thinking", thinking: "用户想要 two files — easy 🤔", signature: OPENAI_CHAT_SIGNATURE },
  { type: "text", text: "Writing 文件 now 🌸" },
  {
    type: "tool_use",
    id: "functions.Write:0",
    name: "Write",
    input: { file_path: "/tmp/a.txt", content: "héllo 🌍" },
  },
  { type: "tool_use", id: "functions.Read:1", name: "Read", input: { file_path: "/tmp/b.txt" } },
];
const fullTurnUsage = { input_tokens: 200, output_tokens: 80, cache_read_input_tokens: 1000 };

const turnRequest = {
  model: MODEL,
  max_tokens: 32000,
  system: [
    { type: "text" as const, text: "x-anthropic-billing-header: cc_version=0.0.1; cc_entrypoint=cli;" },
    { type: "text" as const, text: "You write files.", cache_control: { type: "ephemeral" as const } },
  ],
  thinking: { type: "adaptive" as const },
  messages: [{ role: "user" as const, content: "write a.txt and read b.txt" }],
  tools: [
    {
      name: "Write",
      description: "Write a file",
      input_schema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object" as const,
        properties: { file_path: { type: "string" }, content: { type: "string" } },
        required: ["file_path", "content"],
        additionalProperties: false,
      },
    },
    {
      name: "Read",
      input_schema: { type: "object" as const, properties: { file_path: { type: "string" } } },
    },
  ],
};

/** The SDK refuses non-streaming calls whose max_tokens could take over 10 minutes. */
const shortRequest = { ...turnRequest, max_tokens: 1024 };

function assertUpstreamRequest(fake: FakeUpstream): void {
  assert.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  assert.equal(request.method, "POST");
  assert.equal(request.path, "/chat/completions");
  assert.equal(request.headers.get("authorization"), "Bearer test-key");
  assert.match(request.headers.get("x-opencode-session") ?? "", new RegExp(`^ocb-[0-9a-f]{8}-${SESSION}$`));
  assert.equal(request.headers.get("user-agent"), "opencode-bridge/0.1.0");
  assert.equal(request.headers.get("x-opencode-client"), "opencode-bridge");
  assert.equal(request.headers.get("accept"), "text/event-stream");
  assert.equal(request.headers.get("x-api-key"), null);
  const body = request.body as Record<string, unknown>;
  assert.equal(body.model, MODEL);
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.deepEqual(body.thinking, { type: "enabled" });
  assert.deepEqual(body.messages, [
    { role: "system", content: "You write files." },
    { role: "user", content: "write a.txt and read b.txt" },
  ]);
  const tools = body.tools as { function: { name: string; parameters: Record<string, unknown> } }[];
  assert.deepEqual(tools.map((tool) => tool.function.name), ["Write", "Read"]);
  assert.equal("$schema" in tools[0].function.parameters, false);
  assert.equal(tools[0].function.parameters.additionalProperties, false);
}

Deno.test("chat upstream: SDK stream finalMessage sees thinking, text, parallel tool calls and cached usage", async () => {
  await withGateway(() => sseResponse(byteChunks(fullTurn, 7)), async ({ client, fake }) => {
    const message = await client.messages.stream(turnRequest).finalMessage();
    assert.deepEqual(message.content, fullTurnContent);
    assert.equal(message.stop_reason, "tool_use");
    assert.equal(message.model, MODEL);
    assert.deepEqual(
      {
        input_tokens: message.usage.input_tokens,
        output_tokens: message.usage.output_tokens,
        cache_read_input_tokens: message.usage.cache_read_input_tokens,
      },
      fullTurnUsage,
    );
    assertUpstreamRequest(fake);
  });
});

Deno.test("chat upstream: SDK raw stream event by event keeps Anthropic's grammar", async () => {
  await withGateway(() => sseResponse(byteChunks(fullTurn, 7)), async ({ client }) => {
    const stream = await client.messages.create({ ...turnRequest, stream: true });
    const seen: string[] = [];
    let text = "";
    const json: Record<number, string> = {};
    for await (const event of stream) {
      seen.push(
        event.type === "content_block_delta"
          ? `${event.type}:${event.delta.type}:${event.index}`
          : event.type,
      );
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
        json[event.index] = (json[event.index] ?? "") + event.delta.partial_json;
      }
    }
    assert.equal(seen[0], "message_start");
    assert.deepEqual(seen.slice(-2), ["message_delta", "message_stop"]);
    assert.deepEqual(seen.filter((type) => type === "content_block_start").length, 4);
    assert.ok(seen.indexOf("content_block_delta:signature_delta:0") < seen.indexOf("content_block_stop"));
    assert.equal(text, "Writing 文件 now 🌸");
    assert.deepEqual(JSON.parse(json[2]), { file_path: "/tmp/a.txt", content: "héllo 🌍" });
    assert.deepEqual(JSON.parse(json[3]), { file_path: "/tmp/b.txt" });
  });
});

Deno.test("chat upstream: non-stream messages.create is collected from the upstream stream", async () => {
  await withGateway(() => sseResponse(byteChunks(fullTurn, 7)), async ({ client, fake }) => {
    const message = await client.messages.create(shortRequest);
    assert.deepEqual(message.content, fullTurnContent);
    assert.equal(message.stop_reason, "tool_use");
    assert.deepEqual(message.usage, fullTurnUsage);
    assertUpstreamRequest(fake);
  });
});

Deno.test("chat upstream: 401 AuthError becomes the SDK's AuthenticationError", async () => {
  const handler = () =>
    Response.json({ type: "error", error: { type: "AuthError", message: "Invalid API key" } }, {
      status: 401,
    });
  await withGateway(handler, async ({ client }) => {
    await assert.rejects(client.messages.create(shortRequest), (error: unknown) => {
      assert.ok(error instanceof Anthropic.AuthenticationError);
      assert.equal(error.status, 401);
      assert.match(error.message, /Invalid API key/);
      return true;
    });
  });
});

Deno.test("chat upstream: 429 keeps retry-after and is the SDK's RateLimitError", async () => {
  const handler = () =>
    Response.json({ error: { message: "Rate limit reached", type: "rate_limit_error" } }, {
      status: 429,
      headers: { "retry-after": "17" },
    });
  await withGateway(handler, async ({ client, fake }) => {
    await assert.rejects(client.messages.stream(turnRequest).finalMessage(), (error: unknown) => {
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.headers?.get("retry-after"), "17");
      return true;
    });
    assert.equal(fake.requests.length, 1, "429 is not retried by the gateway");
  });
});

Deno.test("chat upstream: a context-length 400 reads 'prompt is too long' so Claude Code compacts", async () => {
  const handler = () =>
    Response.json({
      error: {
        message:
          "This model's maximum context length is 262144 tokens. However, you requested 300000 tokens.",
        type: "invalid_request_error",
        code: "context_length_exceeded",
      },
    }, { status: 400 });
  await withGateway(handler, async ({ client }) => {
    await assert.rejects(client.messages.create(shortRequest), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      const body = error.error as { error: { type: string; message: string } };
      assert.equal(body.error.type, "invalid_request_error");
      assert.ok(body.error.message.startsWith("prompt is too long"), body.error.message);
      return true;
    });
  });
});

Deno.test("chat upstream: a stream cut mid-way is an SDK error, never a clean end_turn", async () => {
  const cut = dataFrames(
    [chunk({ role: "assistant", content: "" }), chunk({ content: "Half an ans" })],
    false,
  );
  await withGateway(() => sseResponse(byteChunks(cut, 7)), async ({ client }) => {
    const stream = await client.messages.create({ ...turnRequest, stream: true });
    const types: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of stream) types.push(event.type);
      })(),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.match(error.message, /ended before completion/);
        return true;
      },
    );
    assert.ok(!types.includes("message_stop"));
    assert.ok(!types.includes("message_delta"));
  });
});

Deno.test("chat upstream: an empty upstream stream is an error for streaming and non-streaming clients", async () => {
  await withGateway(() => sseResponse([]), async ({ client }) => {
    await assert.rejects(client.messages.stream(turnRequest).finalMessage(), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError);
      assert.match(error.message, /empty stream/);
      return true;
    });
    await assert.rejects(client.messages.create(shortRequest), (error: unknown) => {
      assert.ok(error instanceof Anthropic.InternalServerError);
      assert.match(error.message, /empty stream/);
      return true;
    });
  });
});

Deno.test("chat upstream: malformed JSON and schema-invalid bodies are 400s that name the problem", async () => {
  await withGateway(() => sseResponse([]), async ({ url, fake }) => {
    const post = (body: string) =>
      fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "test-key" },
        body,
      });
    const malformed = await post('{"model": "kimi-k2.6", "messages": [');
    assert.equal(malformed.status, 400);
    const malformedBody = await malformed.json();
    assert.equal(malformedBody.type, "error");
    assert.equal(malformedBody.error.type, "invalid_request_error");
    assert.match(malformedBody.error.message, /JSON/);

    const invalid = await post(
      JSON.stringify({ model: MODEL, max_tokens: 10, messages: [{ role: "bogus", content: "x" }] }),
    );
    assert.equal(invalid.status, 400);
    const invalidBody = await invalid.json();
    assert.equal(invalidBody.error.type, "invalid_request_error");
    assert.match(invalidBody.error.message, /messages\.0\.role/);
    assert.equal(fake.requests.length, 0);
  });
});

Deno.test("chat upstream: pings flow while the upstream is silent", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const encoder = new TextEncoder();
  const handler: FakeHandler = () => {
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(dataFrames([chunk({ reasoning_content: "long thought" })], false)));
        await released; // silent until the client has seen a ping
        controller.enqueue(encoder.encode(dataFrames([chunk({ content: "done" }, "stop")])));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  await withGateway(handler, async ({ url }) => {
    const response = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "test-key" },
      body: JSON.stringify({ ...turnRequest, stream: true }),
    });
    assert.equal(response.status, 200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      if (text.includes("event: ping")) release();
    }
    assert.ok(text.includes("event: ping"));
    assert.ok(text.indexOf("event: ping") < text.indexOf('"text_delta"'));
    assert.ok(text.trimEnd().endsWith('data: {"type":"message_stop"}'));
  }, { PING_INTERVAL_MS: "20" });
});

Deno.test("chat upstream: a client that goes away aborts the upstream request", async () => {
  const encoder = new TextEncoder();
  const handler: FakeHandler = (_request, signal) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(dataFrames([chunk({ content: "streaming forever" })], false)));
        signal.addEventListener("abort", () => controller.close());
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  await withGateway(handler, async ({ url, fake }) => {
    const response = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "test-key" },
      body: JSON.stringify({ ...turnRequest, stream: true }),
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.ok(!first.done);
    await reader.cancel();
    for (let attempt = 0; attempt < 200 && fake.aborted === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(fake.aborted > 0, "upstream request was not aborted");
  });
});

Deno.test("chat upstream: a body that closes after finish_reason without [DONE] still ends cleanly", async () => {
  const noDone = dataFrames([
    chunk({ content: "Short ✓" }),
    chunk({}, "stop"),
    { id: "chatcmpl-9", choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, cached_tokens: 4 } },
  ], false);
  await withGateway(() => sseResponse(byteChunks(noDone, 7)), async ({ client }) => {
    const message = await client.messages.create(shortRequest);
    assert.deepEqual(message.content, [{ type: "text", text: "Short ✓" }]);
    assert.equal(message.stop_reason, "end_turn");
    assert.deepEqual(message.usage, { input_tokens: 5, output_tokens: 2, cache_read_input_tokens: 4 });
  });
});
