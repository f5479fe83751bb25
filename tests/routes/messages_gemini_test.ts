/** `POST /v1/messages` → Gemini upstream, driven by the official Anthropic SDK against a validating fake. */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import {
  encodeThoughtSignature,
  SKIP_THOUGHT_SIGNATURE,
} from "../../lib/formats/gemini/thought_signature.ts";
import { encodeSignature } from "../../lib/hub/signature.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import {
  type FakeGeminiUpstream,
  type GeminiReply,
  startFakeGeminiUpstream,
} from "../support/fake_gemini_upstream.ts";

type Json = Record<string, unknown>;

async function withGateway(
  reply: (body: Json, turn: number) => GeminiReply,
  run: (client: Anthropic, fake: FakeGeminiUpstream) => Promise<void>,
): Promise<void> {
  const fake = startFakeGeminiUpstream(reply);
  const catalog = fakeCatalog([{
    id: "gemini-3.1-pro",
    family: "gemini",
    service: "zen",
    image: true,
    pdf: true,
  }], {
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

/** Shaped like Claude Code's tool schemas: every keyword here except the basics is one Gemini rejects. */
const readTool: Anthropic.Tool = {
  name: "Read",
  description: "Read a file",
  input_schema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: {
      file_path: { type: "string", format: "uri", description: "Absolute path" },
      limit: { type: "integer", exclusiveMinimum: 0 },
      mode: { type: ["string", "null"], enum: ["text", "binary", null] },
    },
    required: ["file_path"],
    additionalProperties: false,
  } as Anthropic.Tool.InputSchema,
};
const globTool: Anthropic.Tool = {
  name: "Glob",
  input_schema: { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"] },
};

Deno.test("messages → gemini: non-stream text with thoughts, usage and request shape", async () => {
  await withGateway(
    () => ({ thoughts: ["Pondering."], text: "Hello there!", signText: true }),
    async (client, fake) => {
      const message = await client.messages.create({
        model: "gemini-3.1-pro",
        max_tokens: 1000,
        temperature: 0.5,
        stop_sequences: ["END"],
        system: [
          { type: "text", text: "x-anthropic-billing-header: cc_version=2.1; cch=abc;" },
          { type: "text", text: "You are helpful." },
        ],
        thinking: { type: "adaptive" } as unknown as Anthropic.ThinkingConfigParam,
        output_config: { effort: "high" },
        messages: [
          { role: "user", content: "Hi" },
          { role: "system", content: "# Environment\ncwd: /tmp" } as unknown as Anthropic.MessageParam,
        ],
      } as Anthropic.MessageCreateParamsNonStreaming);
      assert.equal(message.stop_reason, "end_turn");
      // The answer's late text signature is not sent: the answer stays the last block.
      assert.deepEqual(message.content.map((block) => block.type), ["thinking", "text"]);
      assert.equal(message.content[0].type === "thinking" && message.content[0].thinking, "Pondering.");
      assert.deepEqual(message.content[1], { type: "text", text: "Hello there!" });
      assert.equal(message.usage.input_tokens, 50);
      assert.equal(message.usage.cache_read_input_tokens, 150);
      assert.equal(message.usage.output_tokens, 30);

      const request = fake.requests[0];
      assert.equal(request.path, "/models/gemini-3.1-pro:streamGenerateContent");
      assert.equal(request.headers.get("x-goog-api-key"), "test-key");
      assert.equal(request.headers.get("user-agent"), "opencode-bridge/0.1.0");
      assert.ok(request.headers.get("x-opencode-session"));
      const body = request.body as Json;
      assert.deepEqual(body.systemInstruction, {
        parts: [{ text: "You are helpful.\n\n# Environment\ncwd: /tmp" }],
      });
      assert.deepEqual(body.contents, [{ role: "user", parts: [{ text: "Hi" }] }]);
      assert.deepEqual(body.generationConfig, {
        maxOutputTokens: 1000,
        temperature: 0.5,
        stopSequences: ["END"],
        thinkingConfig: { includeThoughts: true, thinkingLevel: "HIGH" },
      });
    },
  );
});

Deno.test("messages → gemini: two-turn parallel tool round trip restores thought signatures (stream)", async () => {
  await withGateway((_body, turn) =>
    turn === 0
      ? {
        thoughts: ["Read the file and list the dir."],
        calls: [{ name: "Read", args: { file_path: "/a.txt" } }, { name: "Glob", args: { pattern: "*" } }],
      }
      : { text: "Done.", signText: true }, async (client, fake) => {
    const first: Anthropic.MessageParam = { role: "user", content: "Look around" };
    const params = {
      model: "gemini-3.1-pro",
      max_tokens: 32_000,
      tools: [readTool, globTool],
      thinking: { type: "enabled" as const, budget_tokens: 8_000 },
    };
    const turn1 = await client.messages.stream({ ...params, messages: [first] }).finalMessage();
    assert.equal(turn1.stop_reason, "tool_use");
    assert.deepEqual(turn1.content.map((block) => block.type), ["thinking", "tool_use", "tool_use"]);
    const [read, glob] = turn1.content.slice(1) as Anthropic.ToolUseBlock[];
    assert.match(read.id, /^toolu_gm_1_[0-9a-f]+$/);
    assert.match(glob.id, /^toolu_gm_2_[0-9a-f]+$/);
    assert.deepEqual(read.input, { file_path: "/a.txt" });

    const turn2 = await client.messages.stream({
      ...params,
      messages: [
        first,
        { role: "assistant", content: turn1.content },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: read.id, content: "hi" },
            {
              type: "tool_result",
              tool_use_id: glob.id,
              content: [{ type: "text", text: "no match" }],
              is_error: true,
            },
          ],
        },
      ],
    }).finalMessage();
    assert.equal(turn2.stop_reason, "end_turn");
    assert.deepEqual(turn2.content.filter((block) => block.type === "text"), [{
      type: "text",
      text: "Done.",
    }]);

    const [request1, request2] = fake.requests.map((request) => request.body as Json);
    assert.deepEqual((request1.generationConfig as Json).thinkingConfig, {
      includeThoughts: true,
      thinkingBudget: 8_000,
    });
    const declarations = (request1.tools as Json[])[0].functionDeclarations as Json[];
    assert.deepEqual(declarations[0].parameters, {
      type: "object",
      properties: {
        file_path: { type: "string", description: "Absolute path" },
        limit: { type: "integer", minimum: 0 },
        mode: { type: "string", nullable: true, description: 'One of: "text", "binary", null' },
      },
      required: ["file_path"],
    });
    const contents = request2.contents as Json[];
    assert.deepEqual(contents.map((content) => content.role), ["user", "model", "user"]);
    const signature = fake.callSignatures.get('Read({"file_path":"/a.txt"})');
    assert.deepEqual(contents[1].parts, [
      { functionCall: { name: "Read", args: { file_path: "/a.txt" } }, thoughtSignature: signature },
      { functionCall: { name: "Glob", args: { pattern: "*" } } },
    ]);
    assert.deepEqual(contents[2].parts, [
      { functionResponse: { name: "Read", response: { output: "hi" } } },
      { functionResponse: { name: "Glob", response: { error: "no match" } } },
    ]);
  });
});

Deno.test("messages → gemini: a replayed function call without its signature is what the fake rejects", async () => {
  await withGateway(
    (_body, turn) => turn === 0 ? { calls: [{ name: "Glob", args: { pattern: "*" } }] } : { text: "never" },
    async (client, fake) => {
      const first: Anthropic.MessageParam = { role: "user", content: "List" };
      const params = { model: "gemini-3.1-pro", max_tokens: 1000, tools: [globTool] };
      const turn1 = await client.messages.create({ ...params, messages: [first] });
      const toolUse = turn1.content.find((block) => block.type === "tool_use")!;
      const answer: Anthropic.MessageParam = {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "a.txt" }],
      };
      // The gateway never sends an unsigned call any more (it puts Google's placeholder there), so the fake's
      // 400 is checked directly: this is what Gemini 3 answers to an unsigned call in the current turn.
      const unsigned = {
        contents: [
          { role: "user", parts: [{ text: "List" }] },
          { role: "model", parts: [{ functionCall: { name: "Glob", args: { pattern: "*" } } }] },
          { role: "user", parts: [{ functionResponse: { name: "Glob", response: { output: "a.txt" } } }] },
        ],
      };
      const direct = await fetch(`${fake.url}/models/gemini-3.1-pro:streamGenerateContent?alt=sse`, {
        method: "POST",
        headers: { "x-goog-api-key": "test-key", "content-type": "application/json" },
        body: JSON.stringify(unsigned),
      });
      assert.equal(direct.status, 400);
      assert.match((await direct.json()).error.message, /missing a thought_signature/);
      // A signature Gemini never minted is a 400 too, and it reaches the client unchanged.
      const forged = encodeThoughtSignature({
        model: "gemini-3.1-pro",
        thoughtSignature: "Zm9yZ2Vk",
        target: "functionCall",
      });
      await assert.rejects(
        client.messages.create({
          ...params,
          messages: [
            first,
            { role: "assistant", content: [{ type: "thinking", thinking: "", signature: forged }, toolUse] },
            answer,
          ],
        }),
        (error: unknown) => {
          assert.ok(error instanceof Anthropic.BadRequestError);
          assert.match(error.message, /thought signature is corrupted/);
          return true;
        },
      );
    },
  );
});

// Client saw: 400 "Function call is missing a thought_signature in functionCall parts" when a client stripped
// its thinking blocks and the gateway replayed the Gemini call unsigned.
Deno.test("messages → gemini: a call whose signature the client dropped gets the documented placeholder", async () => {
  await withGateway(
    (_body, turn) => turn === 0 ? { calls: [{ name: "Glob", args: { pattern: "*" } }] } : { text: "Listed." },
    async (client, fake) => {
      const first: Anthropic.MessageParam = { role: "user", content: "List" };
      const params = { model: "gemini-3.1-pro", max_tokens: 1000, tools: [globTool] };
      const turn1 = await client.messages.create({ ...params, messages: [first] });
      const toolUse = turn1.content.find((block) => block.type === "tool_use")!;
      const turn2 = await client.messages.create({
        ...params,
        messages: [
          first,
          { role: "assistant", content: [toolUse] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "a.txt" }] },
        ],
      });
      assert.deepEqual(turn2.content, [{ type: "text", text: "Listed." }]);
      const contents = (fake.requests[1].body as Json).contents as Json[];
      assert.deepEqual(contents[1].parts, [
        { functionCall: { name: "Glob", args: { pattern: "*" } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
      ]);
    },
  );
});

// Client saw: 400 "Function call is missing a thought_signature in functionCall parts" from Gemini 3 when a
// tool loop began on another model (a fallback from kimi, or a switch from another Gemini model).
Deno.test("messages → gemini: function calls another model made are sent with the skip-validator placeholder", async (t) => {
  const otherGemini = encodeThoughtSignature({
    model: "gemini-3-flash",
    thoughtSignature: "c2lnLWZsYXNo",
    target: "functionCall",
  });
  const cases = [
    {
      name: "kimi (openai-chat) made the call",
      signature: encodeSignature({ provider: "openai-chat", payload: "" }),
    },
    { name: "another Gemini model made the call", signature: otherGemini },
  ];
  for (const { name, signature } of cases) {
    await t.step(name, async () => {
      await withGateway(() => ({ text: "Both listed." }), async (client, fake) => {
        const message = await client.messages.create({
          model: "gemini-3.1-pro",
          max_tokens: 1000,
          tools: [globTool],
          messages: [
            { role: "user", content: "List twice" },
            {
              role: "assistant",
              content: [
                { type: "thinking", thinking: "I'll list", signature },
                { type: "tool_use", id: "functions.Glob:0", name: "Glob", input: { pattern: "*" } },
                { type: "tool_use", id: "functions.Glob:1", name: "Glob", input: { pattern: "*.ts" } },
              ],
            },
            {
              role: "user",
              content: [
                { type: "tool_result", tool_use_id: "functions.Glob:0", content: "a.txt" },
                { type: "tool_result", tool_use_id: "functions.Glob:1", content: "b.ts" },
              ],
            },
          ],
        });
        assert.deepEqual(message.content, [{ type: "text", text: "Both listed." }]);
        const contents = (fake.requests[0].body as Json).contents as Json[];
        // Only the first call of the step: it is the one Gemini signs and validates.
        assert.deepEqual(contents[1].parts, [
          {
            functionCall: { name: "Glob", args: { pattern: "*" } },
            thoughtSignature: SKIP_THOUGHT_SIGNATURE,
          },
          { functionCall: { name: "Glob", args: { pattern: "*.ts" } } },
        ]);
      });
    });
  }
});

Deno.test("messages → gemini: MAX_TOKENS becomes max_tokens", async () => {
  await withGateway(() => ({ text: "Partial", finishReason: "MAX_TOKENS" }), async (client) => {
    const message = await client.messages.create({
      model: "gemini-3.1-pro",
      max_tokens: 5,
      messages: [{ role: "user", content: "Write a lot" }],
    });
    assert.equal(message.stop_reason, "max_tokens");
    assert.deepEqual(message.content, [{ type: "text", text: "Partial" }]);
  });
});

Deno.test("messages → gemini: an error object in the stream is an SDK error with its kind", async () => {
  const chunks = [
    { candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] } }] },
    {
      error: {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
      },
    },
  ];
  await withGateway(() => ({ chunks }), async (client) => {
    const params = {
      model: "gemini-3.1-pro",
      max_tokens: 50,
      messages: [{ role: "user" as const, content: "Hi" }],
    };
    await assert.rejects(client.messages.create(params), (error: unknown) => {
      assert.ok(error instanceof Anthropic.RateLimitError);
      return true;
    });
    await assert.rejects(client.messages.stream(params).finalMessage(), /Resource has been exhausted/);
  });
});

Deno.test("messages → gemini: a stream cut before finishReason is an error, not a silent end_turn", async () => {
  const chunks = [{ candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] } }] }];
  await withGateway(() => ({ chunks }), async (client) => {
    await assert.rejects(
      client.messages.stream({
        model: "gemini-3.1-pro",
        max_tokens: 50,
        messages: [{ role: "user", content: "Hi" }],
      })
        .finalMessage(),
      /ended before completion/,
    );
  });
});

Deno.test("messages → gemini: foreign signatures are dropped and unsupported sources are a 400", async () => {
  await withGateway(() => ({ text: "ok" }), async (client, fake) => {
    await client.messages.create({
      model: "gemini-3.1-pro",
      max_tokens: 50,
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: [
            {
              type: "thinking",
              thinking: "from responses",
              signature: encodeSignature({ provider: "openai-responses", payload: "{}" }),
            },
            { type: "thinking", thinking: "from anthropic", signature: "EqQBCkgIARABGAIiQL" },
            { type: "text", text: "Hello" },
          ],
        },
        {
          role: "user",
          content: [
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
            { type: "text", text: "Summarise" },
          ],
        },
      ],
    });
    const contents = (fake.requests[0].body as Json).contents as Json[];
    assert.deepEqual(contents[1], { role: "model", parts: [{ text: "Hello" }] });
    assert.deepEqual(contents[2].parts, [
      { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
      { text: "Summarise" },
    ]);
    await assert.rejects(
      client.messages.create({
        model: "gemini-3.1-pro",
        max_tokens: 50,
        messages: [{
          role: "user",
          content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }],
        }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.BadRequestError);
        assert.match(error.message, /not supported by the gemini upstream/);
        return true;
      },
    );
    assert.equal(fake.requests.length, 1);
  });
});
