/**
 * An OpenAI client on an Anthropic-format model (MiniMax on OpenCode Go): the translated path, SSE → hub →
 * Chat. Regression: the stream hung after its first chunk, because a hub batch the chat writer renders as ""
 * (message_start) left the relay's pull without an enqueue, and the stream never pulled again.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { startFakeAnthropicUpstream } from "../support/fake_anthropic_upstream.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";

const tools = [{
  type: "function" as const,
  function: { name: "Write", parameters: { type: "object", properties: {} } },
}];

async function withGateway(run: (client: OpenAI) => Promise<void>): Promise<void> {
  const fake = startFakeAnthropicUpstream({
    script: () => ({
      thinking: "Two writes.",
      text: "Writing.",
      toolUses: [{ name: "Write", input: { path: "a" } }, { name: "Write", input: { path: "b" } }],
    }),
  });
  const catalog = fakeCatalog([{ id: "minimax-m2.7", family: "anthropic" }], { go: fake.url });
  const gateway = serveGateway(
    testGateway(testConfig({ RETRIES: "0" }), { catalog }),
  );
  try {
    await run(new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "test-key", maxRetries: 0 }));
    assert.deepEqual(fake.rejections, []);
  } finally {
    await gateway.close();
    await fake.close();
  }
}

Deno.test("OpenAI SDK stream on an Anthropic-format model gets text, parallel tool calls and usage", async () => {
  await withGateway(async (client) => {
    const stream = await client.chat.completions.create({
      model: "minimax-m2.7",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "write a and b" }],
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const names: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (call.function?.name) names.push(call.function.name);
      }
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, "Writing.");
    assert.deepEqual(names, ["Write", "Write"]);
    assert.equal(usage?.prompt_tokens_details?.cached_tokens, 800);
  });
});

Deno.test("OpenAI SDK non-stream on an Anthropic-format model", async () => {
  await withGateway(async (client) => {
    const completion = await client.chat.completions.create({
      model: "minimax-m2.7",
      messages: [{ role: "user", content: "write a and b" }],
      tools,
    });
    const message = completion.choices[0].message;
    assert.equal(message.content, "Writing.");
    assert.deepEqual(message.tool_calls?.map((call) => call.type === "function" && call.function.arguments), [
      '{"path":"a"}',
      '{"path":"b"}',
    ]);
  });
});
