/** `POST /v1/messages/count_tokens`: local counts, no upstream call, cheap under Claude Code's burst of ~26. */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";

const catalog = fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: "http://go.invalid" });

async function withGateway(fn: (url: string, upstreamCalls: () => number) => Promise<void>) {
  let calls = 0;
  const fetchUpstream: typeof fetch = () => {
    calls++;
    return Promise.reject(new TypeError("count_tokens must not call upstream"));
  };
  const config = testConfig();
  const gateway = serveGateway(testGateway(config, { catalog, fetch: fetchUpstream }));
  try {
    await fn(gateway.url, () => calls);
  } finally {
    await gateway.close();
  }
}

Deno.test("count_tokens through the Anthropic SDK returns o200k-based input_tokens", async () => {
  await withGateway(async (url, upstreamCalls) => {
    const client = new Anthropic({ baseURL: url, apiKey: "sk-test", maxRetries: 0 });
    const result = await client.messages.countTokens({
      model: "kimi-k2.6",
      system: "You are a helpful assistant.",
      messages: [{ role: "user", content: "Hello, world!" }],
    });
    // 3 request + 6 system + 4 message framing + 4 text.
    assert.deepEqual(result, { input_tokens: 17 });
    assert.equal(upstreamCalls(), 0);
  });
});

Deno.test("count_tokens answers an unknown model with 404 and a bad body with 400", async () => {
  await withGateway(async (url) => {
    const post = (body: unknown) =>
      fetch(`${url}/v1/messages/count_tokens`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": "sk-test",
          "anthropic-version": "2023-06-01",
        },
        body: JSON.stringify(body),
      });
    const unknown = await post({ model: "nope", messages: [{ role: "user", content: "hi" }] });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.type, "not_found_error");
    const bad = await post({ model: "kimi-k2.6" });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /^messages/);
  });
});

// Client saw: a token count for `messages: []`, where Anthropic answers 400 "messages: at least one message
// is required".
Deno.test("count_tokens answers an empty messages array with Anthropic's 400", async () => {
  await withGateway(async (url, upstreamCalls) => {
    const client = new Anthropic({ baseURL: url, apiKey: "sk-test", maxRetries: 0 });
    await assert.rejects(
      client.messages.countTokens({ model: "kimi-k2.6", system: "Be brief.", messages: [] }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.BadRequestError);
        assert.match(error.message, /messages: at least one message is required/);
        return true;
      },
    );
    assert.equal(upstreamCalls(), 0);
  });
});

Deno.test("count_tokens serves 26 concurrent calls the way /context sends them", async () => {
  await withGateway(async (url, upstreamCalls) => {
    const tools = Array.from({ length: 26 }, (_, index) => ({
      name: `mcp__server__tool_${index}`,
      description: "Reads a file from the local filesystem. ".repeat(20),
      input_schema: {
        type: "object",
        properties: { path: { type: "string", description: "Absolute path" } },
      },
    }));
    const counts = await Promise.all(tools.map(async (tool) => {
      const response = await fetch(`${url}/v1/messages/count_tokens`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": "sk-test",
          "anthropic-version": "2023-06-01",
        },
        body: JSON.stringify({
          model: "kimi-k2.6",
          messages: [{ role: "user", content: "foo" }],
          tools: [tool],
        }),
      });
      assert.equal(response.status, 200);
      return (await response.json()).input_tokens as number;
    }));
    assert.equal(new Set(counts).size <= 2, true, "same-shaped tools count alike");
    assert.ok(counts.every((count) => count > 100 && count < 400));
    assert.equal(upstreamCalls(), 0);
  });
});
