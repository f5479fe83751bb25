/**
 * `search_result` blocks inside a `tool_result` (a client's own RAG tool answering with search results, as
 * Anthropic's API allows) are accepted and reach models of every family as text with their title and source.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel } from "./web_fakes.ts";

const RESULTS = [
  {
    type: "search_result",
    source: "https://docs.example/deno/workers",
    title: "Workers",
    content: [{ type: "text", text: "Workers run code on another thread." }],
    citations: { enabled: true },
  },
  {
    type: "search_result",
    source: "kb://article/42",
    title: "Permissions",
    content: [{ type: "text", text: "A worker inherits permissions." }, { type: "text", text: "Or fewer." }],
  },
];

for (const family of ["openai-chat", "anthropic", "openai-responses", "gemini"] as const) {
  Deno.test(`search_result blocks inside a tool_result reach a ${family} model as text with their sources`, async () => {
    const upstream = scriptedModel(family, () => ({ text: "Workers run on another thread [1]." }));
    const gateway = serveGateway(
      testGateway(testConfig({}), {
        catalog: fakeCatalog([{ id: "rag-model", family, reasoning: false }], { go: upstream.url }),
      }),
    );
    try {
      const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
      const message = await client.messages.create({
        model: "rag-model",
        max_tokens: 200,
        tools: [{
          name: "kb_search",
          input_schema: { type: "object", properties: { q: { type: "string" } } },
        }],
        messages: [
          { role: "user", content: "How do workers run?" },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "toolu_kb1", name: "kb_search", input: { q: "workers" } }],
          },
          {
            role: "user",
            content: [{
              type: "tool_result",
              tool_use_id: "toolu_kb1",
              content: RESULTS as Anthropic.SearchResultBlockParam[],
            }],
          },
        ],
      });
      assert.equal(message.content[0].type, "text");
      const body = JSON.stringify(upstream.requests[0].body);
      assert.ok(!body.includes('"search_result"'), body);
      assert.match(
        body,
        /Search result \\"Workers\\" \(source: https:\/\/docs.example\/deno\/workers\):\\nWorkers run code on another thread\./,
      );
      assert.match(
        body,
        /Search result \\"Permissions\\" \(source: kb:\/\/article\/42\):\\nA worker inherits permissions\.\\nOr fewer\./,
      );
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
}
