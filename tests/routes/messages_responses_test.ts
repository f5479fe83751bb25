/** `POST /v1/messages` → OpenAI Responses upstream, driven by the official Anthropic SDK against a validating fake. */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { encodeSignature } from "../../lib/hub/signature.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import {
  type FakeResponsesUpstream,
  type ResponsesReply,
  startFakeResponsesUpstream,
} from "../support/fake_responses_upstream.ts";

type Json = Record<string, unknown>;

async function withGateway(
  reply: (body: Json, turn: number) => ResponsesReply,
  run: (client: Anthropic, fake: FakeResponsesUpstream) => Promise<void>,
): Promise<void> {
  const fake = startFakeResponsesUpstream(reply);
  const catalog = fakeCatalog([{ id: "gpt-5.5", family: "openai-responses", service: "zen", image: true }], {
    go: fake.url,
    zen: fake.url,
  });
  const server = serveGateway(testGateway(testConfig(), { catalog }));
  const client = new Anthropic({ baseURL: server.url, apiKey: "test-key", maxRetries: 0 });
  try {
    await run(client, fake);
  } finally {
    await server.close();
    await fake.close();
  }
}

const readTool: Anthropic.Tool = {
  name: "Read",
  description: "Read a file",
  input_schema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { file_path: { type: "string" } },
    required: ["file_path"],
    additionalProperties: false,
  } as Anthropic.Tool.InputSchema,
};

Deno.test("messages → responses: non-stream text with reasoning, usage and request shape", async () => {
  await withGateway(
    () => ({ reasoning: ["Thinking it over.", "Second part."], text: "Hello there!" }),
    async (client, fake) => {
      const message = await client.messages.create({
        model: "gpt-5.5",
        max_tokens: 1000,
        system: [
          { type: "text", text: "x-anthropic-billing-header: cc_version=2.1; cch=abc;" },
          { type: "text", text: "You are helpful." },
        ],
        thinking: { type: "adaptive" } as unknown as Anthropic.ThinkingConfigParam,
        messages: [
          { role: "user", content: "Hi" },
          { role: "system", content: "# Environment\ncwd: /tmp" } as unknown as Anthropic.MessageParam,
        ],
      });
      assert.equal(message.stop_reason, "end_turn");
      assert.equal(message.content.length, 2);
      const [thinking, text] = message.content;
      assert.equal(thinking.type, "thinking");
      assert.equal(thinking.type === "thinking" && thinking.thinking, "Thinking it over.\n\nSecond part.");
      assert.ok(thinking.type === "thinking" && thinking.signature.startsWith("ocb1.openai-responses."));
      assert.deepEqual(text, { type: "text", text: "Hello there!" });
      assert.equal(message.usage.input_tokens, 20);
      assert.equal(message.usage.cache_read_input_tokens, 100);
      assert.equal(message.usage.output_tokens, 30);

      const request = fake.requests[0];
      assert.equal(request.path, "/responses");
      assert.equal(request.headers.get("authorization"), "Bearer test-key");
      assert.equal(request.headers.get("user-agent"), "opencode-bridge/0.1.0");
      assert.ok(request.headers.get("x-opencode-session"));
      const body = request.body as Json;
      assert.equal(body.instructions, "You are helpful.");
      assert.deepEqual(body.input, [
        { type: "message", role: "user", content: [{ type: "input_text", text: "Hi" }] },
        {
          type: "message",
          role: "developer",
          content: [{ type: "input_text", text: "# Environment\ncwd: /tmp" }],
        },
      ]);
      assert.deepEqual(body.reasoning, { effort: "medium", summary: "auto" });
      assert.deepEqual(body.include, ["reasoning.encrypted_content"]);
      assert.equal(body.store, false);
      assert.equal(body.stream, true);
      assert.equal(body.max_output_tokens, 1000);
    },
  );
});

Deno.test("messages → responses: two-turn tool round trip restores the encrypted reasoning item (stream)", async () => {
  await withGateway(
    (_body, turn) =>
      turn === 0
        ? {
          reasoning: ["Need to read the file."],
          calls: [{ name: "Read", arguments: { file_path: "/a.txt" } }],
        }
        : { text: "The file says hi." },
    async (client, fake) => {
      const first: Anthropic.MessageParam = { role: "user", content: "What is in /a.txt?" };
      const turn1 = await client.messages.stream({
        model: "gpt-5.5",
        max_tokens: 32_000,
        tools: [readTool],
        thinking: { type: "enabled", budget_tokens: 20_000 },
        messages: [first],
      }).finalMessage();
      assert.equal(turn1.stop_reason, "tool_use");
      assert.deepEqual(turn1.content.map((block) => block.type), ["thinking", "tool_use"]);
      const toolUse = turn1.content[1] as Anthropic.ToolUseBlock;
      assert.equal(toolUse.name, "Read");
      assert.deepEqual(toolUse.input, { file_path: "/a.txt" });

      const turn2 = await client.messages.stream({
        model: "gpt-5.5",
        max_tokens: 32_000,
        tools: [readTool],
        thinking: { type: "enabled", budget_tokens: 20_000 },
        messages: [
          first,
          { role: "assistant", content: turn1.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "hi" }] },
        ],
      }).finalMessage();
      assert.equal(turn2.stop_reason, "end_turn");
      assert.deepEqual(turn2.content, [{ type: "text", text: "The file says hi." }]);

      const body = fake.requests[1].body as Json;
      const input = body.input as Json[];
      assert.deepEqual(input.map((item) => item.type), [
        "message",
        "reasoning",
        "function_call",
        "function_call_output",
      ]);
      assert.deepEqual(input[1], [...fake.minted.values()][0]);
      assert.equal(input[2].call_id, toolUse.id);
      assert.deepEqual(input[3], { type: "function_call_output", call_id: toolUse.id, output: "hi" });
      assert.deepEqual(body.reasoning, { effort: "high", summary: "auto" });
      assert.deepEqual((body.tools as Json[])[0], {
        type: "function",
        name: "Read",
        description: "Read a file",
        parameters: readTool.input_schema,
        strict: false,
      });
    },
  );
});

Deno.test("messages → responses: response.incomplete becomes max_tokens", async () => {
  await withGateway(() => ({ text: "Partial answ", status: "incomplete" }), async (client) => {
    const message = await client.messages.create({
      model: "gpt-5.5",
      max_tokens: 5,
      messages: [{ role: "user", content: "Write a lot" }],
    });
    assert.equal(message.stop_reason, "max_tokens");
    assert.deepEqual(message.content, [{ type: "text", text: "Partial answ" }]);
  });
});

Deno.test("messages → responses: response.failed is an SDK error (non-stream and stream)", async () => {
  const failed = {
    events: [
      { type: "response.created", response: { id: "resp_1", status: "in_progress", output: [] } },
      {
        type: "response.failed",
        response: {
          id: "resp_1",
          status: "failed",
          error: { code: "server_error", message: "The model crashed" },
        },
      },
    ],
  };
  await withGateway(() => failed, async (client) => {
    const params = { model: "gpt-5.5", max_tokens: 50, messages: [{ role: "user" as const, content: "Hi" }] };
    await assert.rejects(client.messages.create(params), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError);
      // The upstream's failure, not a gateway bug.
      assert.equal(error.status, 502);
      assert.match(error.message, /The model crashed/);
      return true;
    });
    await assert.rejects(client.messages.stream(params).finalMessage(), /The model crashed/);
  });
});

Deno.test("messages → responses: an error event mid-stream is an SDK error with its kind", async () => {
  const errorEvents = {
    events: [
      { type: "response.created", response: { id: "resp_1", status: "in_progress", output: [] } },
      { type: "error", code: "rate_limit_exceeded", message: "Rate limit reached for gpt-5.5", param: null },
    ],
  };
  await withGateway(() => errorEvents, async (client) => {
    const params = { model: "gpt-5.5", max_tokens: 50, messages: [{ role: "user" as const, content: "Hi" }] };
    await assert.rejects(client.messages.create(params), (error: unknown) => {
      assert.ok(error instanceof Anthropic.RateLimitError);
      return true;
    });
    await assert.rejects(client.messages.stream(params).finalMessage(), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError);
      assert.match(error.message, /Rate limit reached/);
      return true;
    });
  });
});

Deno.test("messages → responses: thinking with a foreign or missing signature is dropped, never forwarded", async () => {
  await withGateway(() => ({ text: "ok" }), async (client, fake) => {
    const message = await client.messages.create({
      model: "gpt-5.5",
      max_tokens: 50,
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: [
            {
              type: "thinking",
              thinking: "from gemini",
              signature: encodeSignature({ provider: "gemini", payload: "x" }),
            },
            { type: "thinking", thinking: "from anthropic", signature: "EqQBCkgIARABGAIiQL" },
            { type: "redacted_thinking", data: "opaque" },
            { type: "text", text: "Hello" },
          ],
        },
        { role: "user", content: "Again" },
      ],
    });
    assert.deepEqual(message.content, [{ type: "text", text: "ok" }]);
    const input = (fake.requests[0].body as Json).input as Json[];
    assert.deepEqual(input.map((item) => item.type), ["message", "message", "message"]);
    assert.deepEqual(input[1], { type: "message", role: "assistant", content: "Hello" });
  });
});

Deno.test("messages → responses: images and PDFs are sent as input parts; other documents are a 400", async () => {
  await withGateway(() => ({ text: "seen" }), async (client, fake) => {
    await client.messages.create({
      model: "gpt-5.5",
      max_tokens: 50,
      messages: [{
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          {
            type: "document",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
            title: "spec",
          },
          { type: "text", text: "Describe" },
        ],
      }],
    });
    const content = ((fake.requests[0].body as Json).input as Json[])[0].content;
    assert.deepEqual(content, [
      { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
      { type: "input_file", filename: "spec.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
      { type: "input_text", text: "Describe" },
    ]);
    await assert.rejects(
      client.messages.create({
        model: "gpt-5.5",
        max_tokens: 50,
        messages: [{
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "file", file_id: "file_123" },
            } as unknown as Anthropic.ContentBlockParam,
          ],
        }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.BadRequestError);
        assert.match(
          error.message,
          /Document source \\"file\\" is not supported by the openai-responses upstream/,
        );
        return true;
      },
    );
    assert.equal(fake.requests.length, 1);
  });
});
