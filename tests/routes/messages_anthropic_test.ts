/**
 * The official Anthropic SDK through the gateway to a strict Anthropic-format upstream (MiniMax on OpenCode Go).
 * Regression: Claude Code's requests to these upstreams were rejected with 400 (role:"system" in messages,
 * betas, adaptive thinking, beta tool fields) and only worked after Claude Code retried with features off.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import type { Catalog } from "../../lib/catalog/types.ts";
import { unwrapAnthropicSignature } from "../../lib/formats/anthropic/thinking_signature.ts";
import { encodeSignature, isGatewaySignature } from "../../lib/hub/signature.ts";
import {
  type FakeAnthropicScript,
  type FakeAnthropicUpstream,
  opencodeError,
  startFakeAnthropicUpstream,
  turnEvents,
} from "../support/fake_anthropic_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { byteChunks, serveGateway, sseResponse } from "../support/fake_upstream.ts";

const BETAS = [
  "claude-code-20250219",
  "interleaved-thinking-2025-05-14",
  "context-management-2025-06-27",
  "advanced-tool-use-2025-11-20",
  "effort-2025-11-24",
].join(",");
const SESSION = "5f1c7a8e-3b1d-4c55-9a0e-2d7f1e6b9c01";
const CACHE = { type: "ephemeral" } as const;

const WRITE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { file_path: { type: "string" }, content: { type: "string" } },
  required: ["file_path", "content"],
  additionalProperties: false,
};

/** What Claude Code sends (shape only; see /work/shared/fixtures/claude-code). */
function claudeCodeParams(
  messages: unknown[],
  stream: boolean,
  maxTokens = 32000,
): Anthropic.MessageCreateParams {
  return {
    model: "minimax-m2.7",
    max_tokens: maxTokens,
    stream,
    system: [
      { type: "text", text: "x-anthropic-billing-header: cc_version=9.9.9.aa1; cc_entrypoint=sdk-cli;" },
      { type: "text", text: "You are a careful coding agent.", cache_control: CACHE },
      { type: "text", text: "\nKeep answers short.", cache_control: CACHE },
    ],
    messages,
    tools: [
      { name: "Write", description: "Write a file", input_schema: WRITE_SCHEMA },
      { name: "Read", description: "Read a file", input_schema: { type: "object", properties: {} } },
      {
        name: "DeferredToolPlaceholder",
        description: "",
        input_schema: { type: "object" },
        defer_loading: true,
      },
    ],
    thinking: { type: "adaptive", display: "omitted" },
    output_config: { effort: "high" },
    context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
    metadata: { user_id: JSON.stringify({ device_id: "d1", account_uuid: "", session_id: SESSION }) },
  } as unknown as Anthropic.MessageCreateParams;
}

const FIRST_TURN = [
  { role: "user", content: "create a.txt and b.txt" },
  {
    role: "system",
    content: [{
      type: "text",
      text: "# Environment\n - Primary working directory: /work",
      cache_control: CACHE,
    }],
  },
];

const parallelWrites: FakeAnthropicScript = (request) => {
  const messages = (request.body as { messages: { content: unknown }[] }).messages;
  const last = messages.at(-1)?.content;
  if (Array.isArray(last) && last.some((block) => block.type === "tool_result")) {
    return { thinking: "Both files exist now.", text: "Created a.txt and b.txt." };
  }
  return {
    thinking: "Two independent files — write them in parallel.",
    text: "Writing both files.",
    toolUses: [
      { name: "Write", input: { file_path: "/work/a.txt", content: "alpha ü" } },
      { name: "Write", input: { file_path: "/work/b.txt", content: "beta" } },
    ],
    usage: { input_tokens: 1200, cache_read_input_tokens: 800, output_tokens: 57 },
  };
};

/** How the gateway names MiniMax on Go as a thinking signature's origin (thinking_signature.ts). */
const MINIMAX_ORIGIN = "go/minimax-m2.7";

interface Harness {
  fake: FakeAnthropicUpstream;
  client: Anthropic;
  url: string;
  [Symbol.asyncDispose](): Promise<void>;
}

function harness(script: FakeAnthropicScript = parallelWrites): Harness {
  const fake = startFakeAnthropicUpstream({ script });
  const config = testConfig({ RETRIES: "0" });
  const catalog = fakeCatalog([{ id: "minimax-m2.7", family: "anthropic", interleavedField: null }], {
    go: fake.url,
  });
  const gateway = serveGateway(testGateway(config, { catalog }));
  const client = new Anthropic({
    baseURL: gateway.url,
    apiKey: "test-key",
    maxRetries: 0,
    defaultHeaders: { "anthropic-beta": BETAS, "x-claude-code-session-id": SESSION },
  });
  return {
    fake,
    client,
    url: gateway.url,
    async [Symbol.asyncDispose]() {
      await gateway.close();
      await fake.close();
    },
  };
}

function assertSanitized(fake: FakeAnthropicUpstream, budget = 16384): void {
  assert.deepEqual(fake.rejections, []);
  for (const request of fake.requests) {
    assert.equal(request.path, "/messages");
    assert.equal(request.headers.get("x-api-key"), "test-key");
    assert.match(request.headers.get("x-opencode-session") ?? "", new RegExp(`^ocb-[0-9a-f]{8}-${SESSION}$`));
    assert.equal(request.headers.get("anthropic-beta"), null);
    const body = request.body as Record<string, unknown>;
    assert.equal(body.model, "minimax-m2.7");
    // adaptive + effort high → a fixed budget, capped at three quarters of max_tokens.
    assert.deepEqual(body.thinking, { type: "enabled", budget_tokens: budget });
  }
}

Deno.test("Anthropic SDK stream through the gateway: thinking, text and parallel tool calls", async () => {
  await using h = harness();
  const stream = h.client.messages.stream(
    claudeCodeParams(FIRST_TURN, true) as Anthropic.MessageStreamParams,
  );
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  const message = await stream.finalMessage();

  assertSanitized(h.fake);
  assert.equal(types[0], "message_start");
  assert.equal(types.at(-1), "message_stop");
  assert.equal(message.model, "minimax-m2.7");
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.content.map((block) => block.type), ["thinking", "text", "tool_use", "tool_use"]);
  const thinking = message.content[0] as Anthropic.ThinkingBlock;
  // The upstream's own signature reaches the client inside an envelope naming where it came from.
  assert.ok(isGatewaySignature(thinking.signature), thinking.signature);
  assert.ok(h.fake.signatures.has(unwrapAnthropicSignature(thinking.signature, MINIMAX_ORIGIN) ?? ""));
  const tools = message.content.filter((block) => block.type === "tool_use");
  assert.deepEqual(tools.map((tool) => tool.input), [
    { file_path: "/work/a.txt", content: "alpha ü" },
    { file_path: "/work/b.txt", content: "beta" },
  ]);
  assert.equal(message.usage.input_tokens, 1200);
  assert.equal(message.usage.cache_read_input_tokens, 800);
  assert.equal(message.usage.output_tokens, 57);
});

Deno.test("Anthropic SDK non-stream through the gateway", async () => {
  await using h = harness();
  // The SDK refuses non-stream calls whose max_tokens could take over 10 minutes.
  const message = await h.client.messages.create(
    claudeCodeParams(FIRST_TURN, false, 8000),
  ) as Anthropic.Message;
  assertSanitized(h.fake, 6000);
  assert.equal(message.model, "minimax-m2.7");
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.content.map((block) => block.type), ["thinking", "text", "tool_use", "tool_use"]);
  const signature = (message.content[0] as Anthropic.ThinkingBlock).signature;
  assert.ok(h.fake.signatures.has(unwrapAnthropicSignature(signature, MINIMAX_ORIGIN) ?? ""), signature);
  assert.equal(message.usage.cache_read_input_tokens, 800);
});

Deno.test("Anthropic SDK tool round trip replays thinking; an earlier Kimi turn is made acceptable", async () => {
  await using h = harness();
  const first = await h.client.messages.stream(
    claudeCodeParams(FIRST_TURN, true) as Anthropic.MessageStreamParams,
  )
    .finalMessage();
  const results = first.content
    .filter((block) => block.type === "tool_use")
    .map((block) => ({ type: "tool_result", tool_use_id: block.id, content: "File created successfully" }));
  // An earlier turn answered by a chat-family model: gateway-minted signature and a Kimi-style tool id.
  const kimiTurn = [
    { role: "user", content: "read notes.txt first" },
    {
      role: "assistant",
      content: [
        {
          type: "thinking",
          thinking: "Read it.",
          signature: encodeSignature({ provider: "openai-chat", payload: "" }),
        },
        { type: "text", text: "" },
        { type: "tool_use", id: "functions.Read:0", name: "Read", input: { file_path: "/work/notes.txt" } },
      ],
    },
    {
      role: "user",
      content: [{
        type: "tool_result",
        tool_use_id: "functions.Read:0",
        content: "notes",
        cache_control: CACHE,
      }],
    },
  ];
  const second = await h.client.messages.stream(claudeCodeParams([
    ...kimiTurn,
    ...FIRST_TURN,
    { role: "assistant", content: first.content },
    { role: "user", content: results },
  ], true) as Anthropic.MessageStreamParams).finalMessage();

  assertSanitized(h.fake);
  assert.equal(second.stop_reason, "end_turn");
  assert.equal((second.content.at(-1) as Anthropic.TextBlock).text, "Created a.txt and b.txt.");
  const sent = h.fake.requests[1].body as { messages: { role: string; content: { type: string }[] }[] };
  assert.deepEqual(sent.messages.map((message) => message.role), [
    "user",
    "assistant",
    "user",
    "assistant",
    "user",
  ]);
  // The upstream gets its own signature back, out of the envelope the client held.
  const replayed = sent.messages[3].content[0] as { type: string; signature: string };
  const held = (first.content[0] as Anthropic.ThinkingBlock).signature;
  assert.equal(replayed.signature, unwrapAnthropicSignature(held, MINIMAX_ORIGIN));
  assert.ok(h.fake.signatures.has(replayed.signature));
});

// Reviewers saw: a Claude Code session that switched `/model` between Anthropic-format upstreams (Zen's Claude →
// MiniMax, MiniMax → Qwen) sent the first one's raw thinking signature to the second, which answered 400
// "Invalid `signature` in `thinking` block" (and Claude Code then dropped thinking for the whole conversation).
Deno.test("Anthropic SDK session switching minimax → qwen → minimax: foreign thinking is dropped, own restored", async () => {
  // Two strict Anthropic-format upstreams, each minting and accepting only its own signatures.
  const minimax = startFakeAnthropicUpstream({ script: parallelWrites });
  const qwen = startFakeAnthropicUpstream({ script: parallelWrites });
  const byModel: Record<string, Catalog> = {
    "minimax-m2.7": fakeCatalog([{ id: "minimax-m2.7", family: "anthropic", interleavedField: null }], {
      go: minimax.url,
    }),
    "qwen3.7-plus": fakeCatalog([{ id: "qwen3.7-plus", family: "anthropic", interleavedField: null }], {
      go: qwen.url,
    }),
  };
  const catalog: Catalog = {
    resolve: (name, options) => (byModel[name] ?? byModel["minimax-m2.7"]).resolve(name, options),
    list: async () => (await Promise.all(Object.values(byModel).map((each) => each.list()))).flat(),
  };
  const gateway = serveGateway(testGateway(testConfig({ RETRIES: "0" }), { catalog }));
  const client = new Anthropic({
    baseURL: gateway.url,
    apiKey: "test-key",
    maxRetries: 0,
    defaultHeaders: { "anthropic-beta": BETAS, "x-claude-code-session-id": SESSION },
  });
  const on = (model: string, messages: unknown[], stream: boolean) => ({
    ...claudeCodeParams(messages, stream, stream ? 32000 : 8000),
    model,
  });
  type Sent = { messages: { role: string; content: string | { type: string; signature?: string }[] }[] };
  const thinkingSent = (body: unknown) =>
    (body as Sent).messages.flatMap((message) => typeof message.content === "string" ? [] : message.content)
      .filter((block) => block.type === "thinking");
  try {
    // 1. MiniMax, streamed (the pass-through): it thinks and calls Write twice.
    const first = await client.messages.stream(
      on("minimax-m2.7", FIRST_TURN, true) as Anthropic.MessageStreamParams,
    ).finalMessage();
    const results = first.content
      .filter((block) => block.type === "tool_use")
      .map((block) => ({ type: "tool_result", tool_use_id: block.id, content: "File created successfully" }));
    const afterFirst = [...FIRST_TURN, { role: "assistant", content: first.content }, {
      role: "user",
      content: results,
    }];

    // 2. `/model qwen3.7-plus`, non-stream (the translated path): MiniMax's thinking is not Qwen's to check.
    const second = await client.messages.create(on("qwen3.7-plus", afterFirst, false)) as Anthropic.Message;
    assert.deepEqual(qwen.rejections, [], "Qwen accepted the request");
    assert.equal(second.stop_reason, "end_turn");
    const toQwen = qwen.requests[0].body as Record<string, unknown>;
    assert.deepEqual(thinkingSent(toQwen), [], "MiniMax's thinking was dropped");
    // The last turn calls tools and lost its thinking: Anthropic's rule says no thinking for this request.
    assert.equal(toQwen.thinking, undefined);
    const qwenThinking = second.content[0] as Anthropic.ThinkingBlock;
    assert.equal(qwenThinking.type, "thinking");
    assert.ok(qwen.signatures.has(unwrapAnthropicSignature(qwenThinking.signature, "go/qwen3.7-plus") ?? ""));

    // 3. Back to MiniMax: its own thinking comes back as it minted it; Qwen's is dropped.
    const history = [...afterFirst, { role: "assistant", content: second.content }, {
      role: "user",
      content: "now c.txt",
    }];
    const third = await client.messages.stream(
      on("minimax-m2.7", history, true) as Anthropic.MessageStreamParams,
    ).finalMessage();
    assert.deepEqual(minimax.rejections, [], "MiniMax accepted the request");
    assert.equal(third.stop_reason, "tool_use");
    const toMinimax = minimax.requests[1].body as Record<string, unknown>;
    const restored = thinkingSent(toMinimax);
    assert.equal(restored.length, 1, "only MiniMax's own thinking went back to it");
    assert.ok(minimax.signatures.has(restored[0].signature ?? ""));
    assert.equal(
      restored[0].signature,
      unwrapAnthropicSignature((first.content[0] as Anthropic.ThinkingBlock).signature, MINIMAX_ORIGIN),
    );
    assert.deepEqual(toMinimax.thinking, { type: "enabled", budget_tokens: 16384 });

    // 4. And Qwen again: its thinking (minted on the translated path) is restored, MiniMax's dropped.
    await client.messages.create(
      on("qwen3.7-plus", [...history, { role: "assistant", content: third.content }, {
        role: "user",
        content: third.content
          .filter((block) => block.type === "tool_use")
          .map((block) => ({
            type: "tool_result",
            tool_use_id: block.id,
            content: "File created successfully",
          })),
      }], false),
    );
    assert.deepEqual(qwen.rejections, []);
    const backToQwen = thinkingSent(qwen.requests[1].body);
    assert.deepEqual(backToQwen.map((block) => block.signature), [
      unwrapAnthropicSignature(qwenThinking.signature, "go/qwen3.7-plus"),
    ]);
  } finally {
    await gateway.close();
    await minimax.close();
    await qwen.close();
  }
});

Deno.test("Anthropic SDK sees an error when the upstream stream is cut", async () => {
  await using h = harness(() => ({ thinking: "Hmm", text: "partial", cutAfterEvents: 7 }));
  const stream = h.client.messages.stream(
    claudeCodeParams(FIRST_TURN, true) as Anthropic.MessageStreamParams,
  );
  await assert.rejects(stream.finalMessage(), (error: unknown) => {
    assert.ok(error instanceof Anthropic.APIError);
    assert.match(String(error.message), /Upstream stream ended before completion/);
    return true;
  });
});

Deno.test("Anthropic SDK gets 429 rate_limit_error for OpenCode's GoUsageLimitError", async () => {
  await using h = harness(() =>
    opencodeError(429, "GoUsageLimitError", "Go usage limit reached", {
      headers: { "retry-after": "3600" },
      metadata: { workspace: "wrk_1", limitName: "5 hour" },
    })
  );
  await assert.rejects(
    h.client.messages.create(claudeCodeParams(FIRST_TURN, true)),
    (error: unknown) => {
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.status, 429);
      assert.equal((error.error as { error: { type: string } }).error.type, "rate_limit_error");
      assert.equal(error.headers?.get("retry-after"), "3600");
      assert.match(String(error.message), /usage limit reached/);
      return true;
    },
  );
});

Deno.test("gateway stream to an Anthropic client drops OpenCode's trailing cost ping", async () => {
  await using h = harness();
  const response = await fetch(`${h.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": "test-key", "content-type": "application/json", "anthropic-beta": BETAS },
    body: JSON.stringify(claudeCodeParams(FIRST_TURN, true)),
  });
  const text = await response.text();
  assert.equal(response.status, 200);
  assert.ok(!text.includes('"cost"'));
  assert.match(
    text,
    /"id":"msg_fake_\d+"/,
    "the upstream's own events (the passthrough), not re-encoded hub events",
  );
  assert.ok(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n'));
  assertSanitized(h.fake);
});

// Client saw: 500 "Upstream returned an empty stream" (non-stream), and a stream with nothing the SDK reads
// followed by that error, from an Anthropic-format upstream that sends data-only frames (no `event:` lines).
Deno.test("Anthropic SDK reads an upstream that sends data-only frames, stream and non-stream", async () => {
  let id = 0;
  const dataOnly = turnEvents({ text: "Hello there.", usage: { input_tokens: 5, output_tokens: 3 } }, {
    model: "minimax-m2.7",
    messageId: "msg_data_only",
    sign: () => "c2ln",
    toolId: () => `toolu_${++id}`,
  }).map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
  await using h = harness(() =>
    sseResponse(byteChunks(dataOnly + 'data: {"type":"ping","cost":"0.1"}\n\n', 7))
  );
  const streamed = await h.client.messages.stream(
    claudeCodeParams(FIRST_TURN, true) as Anthropic.MessageStreamParams,
  ).finalMessage();
  assert.deepEqual(streamed.content, [{ type: "text", text: "Hello there." }]);
  assert.equal(streamed.stop_reason, "end_turn");
  const created = await h.client.messages.create(
    claudeCodeParams(FIRST_TURN, false, 8000),
  ) as Anthropic.Message;
  assert.deepEqual(created.content, [{ type: "text", text: "Hello there." }]);
  assert.equal(created.usage.output_tokens, 3);
});

Deno.test("the fake strict upstream rejects Claude Code's request as sent (what the gateway fixes)", async () => {
  const fake = startFakeAnthropicUpstream();
  try {
    const send = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${fake.url}/messages`, {
        method: "POST",
        headers: {
          "x-api-key": "k",
          "x-opencode-session": "s",
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
          ...headers,
        },
        body: JSON.stringify(body),
      }).then(async (response) => [response.status, (await response.json()).error.message]);
    const raw = claudeCodeParams(FIRST_TURN, true) as unknown as Record<string, unknown>;
    assert.deepEqual(await send(raw, { "anthropic-beta": "context-management-2025-06-27" }), [
      400,
      "Unexpected value(s) `context-management-2025-06-27` for the `anthropic-beta` header. Please consult our documentation at docs.anthropic.com or try again without the header.",
    ]);
    assert.deepEqual(await send(raw), [400, "output_config: Extra inputs are not permitted"]);
    const { output_config: _, context_management: __, metadata: ___, ...core } = raw;
    assert.deepEqual(await send({ ...core, thinking: { type: "adaptive" } }), [
      400,
      "thinking: Input tag 'adaptive' found using 'type' does not match any of the expected tags: 'disabled', 'enabled'",
    ]);
    assert.deepEqual(await send({ ...core, thinking: undefined }), [
      400,
      "tools.2.custom.defer_loading: Extra inputs are not permitted",
    ]);
    const tools = (core.tools as { name: string }[]).slice(0, 2);
    assert.deepEqual(await send({ ...core, thinking: undefined, tools }), [
      400,
      "messages.1.role: Input should be 'user' or 'assistant'",
    ]);
  } finally {
    await fake.close();
  }
});
