/**
 * Emulated web_search through the gateway, driven by the official Anthropic SDK: a scripted model of each
 * family calls `web_search`, the gateway searches a fake Tavily or SearXNG, and the client receives
 * Anthropic's server-tool blocks, the summed usage and the model's answer.
 */
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { assertHubGrammar, parseAnthropicSse } from "../support/check_hub_grammar.ts";
import { searchOnce, withWebGateway } from "./web_gateway.ts";

const SEARCH_TOOL = { type: "web_search_20250305", name: "web_search", max_uses: 8 } as const;

const families: Family[] = ["openai-chat", "anthropic", "openai-responses", "gemini"];

for (const family of families) {
  Deno.test(`web_search on a ${family} model, non-stream: server tool blocks, results, summed usage`, async () => {
    await withWebGateway(family, searchOnce, async ({ client, upstream, backend }) => {
      const message = await client.messages.create({
        model: "model-x",
        max_tokens: 1000,
        messages: [{ role: "user", content: "What is new in Deno 2.6?" }],
        tools: [SEARCH_TOOL],
      });
      const types = message.content.map((block) => block.type);
      assert.deepEqual(types.filter((type) => type !== "text"), [
        "server_tool_use",
        "web_search_tool_result",
      ]);
      const use = message.content.find((block) => block.type === "server_tool_use")!;
      assert.match(use.id, /^srvtoolu_/);
      assert.deepEqual(use.input, { query: "deno 2.6 release" });
      const result = message.content.find((block) => block.type === "web_search_tool_result")!;
      assert.equal(result.tool_use_id, use.id);
      assert.ok(Array.isArray(result.content));
      assert.equal(result.content[0].url, "https://deno.com/blog/v2.6");
      assert.equal(result.content[0].title, "Deno 2.6");
      assert.match(result.content[0].encrypted_content, /^ocb1\.web\./);
      const last = message.content.at(-1)!;
      assert.equal(last.type, "text");
      assert.match(last.text, /Deno 2\.6 adds a package manager UI/);
      assert.equal(message.stop_reason, "end_turn");
      assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 1, web_fetch_requests: 0 });
      assert.equal(message.usage.input_tokens, 200);
      assert.equal(message.usage.output_tokens, 20);
      assert.equal(upstream.requests.length, 2);
      assert.equal(backend!.requests.length, 1);
      assert.deepEqual(backend!.requests[0].body, { query: "deno 2.6 release", max_results: 5 });
      // The first round offered a plain function tool, never the server tool.
      const offered = JSON.stringify(upstream.requests[0].body);
      assert.ok(!offered.includes("web_search_20250305"), offered);
      assert.ok(offered.includes('"web_search"'));
    });
  });

  Deno.test(`web_search on a ${family} model, streamed: the SDK's final message matches`, async () => {
    await withWebGateway(family, searchOnce, async ({ client }) => {
      const stream = client.messages.stream({
        model: "model-x",
        max_tokens: 1000,
        messages: [{ role: "user", content: "What is new in Deno 2.6?" }],
        tools: [SEARCH_TOOL],
      });
      const events: string[] = [];
      stream.on("streamEvent", (event) => events.push(event.type));
      const message = await stream.finalMessage();
      assert.deepEqual(message.content.map((block) => block.type).filter((type) => type !== "text"), [
        "server_tool_use",
        "web_search_tool_result",
      ]);
      const use = message.content.find((block) => block.type === "server_tool_use")!;
      assert.deepEqual(use.input, { query: "deno 2.6 release" });
      assert.match((message.content.at(-1) as { text: string }).text, /package manager UI/);
      assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 1, web_fetch_requests: 0 });
      assert.equal(events[0], "message_start");
      assert.equal(events.filter((type) => type === "message_start").length, 1);
      assert.equal(events.at(-1), "message_stop");
    });
  });
}

for (const family of families) {
  Deno.test(`web_search on a ${family} model: the raw stream follows Anthropic's grammar exactly`, async () => {
    await withWebGateway(family, searchOnce, async ({ client }) => {
      const response = await client.messages.create({
        model: "model-x",
        max_tokens: 1000,
        messages: [{ role: "user", content: "What is new in Deno 2.6?" }],
        tools: [SEARCH_TOOL],
        stream: true,
      }).asResponse();
      const events = parseAnthropicSse(await response.text());
      assertHubGrammar(events);
      const starts = events.filter((event) => (event as { type: string }).type === "content_block_start")
        .map((event) => (event as { content_block: { type: string } }).content_block.type);
      assert.deepEqual(starts.filter((type) => type !== "text"), [
        "server_tool_use",
        "web_search_tool_result",
      ]);
      const last = events.at(-2) as { type: string; usage: Record<string, unknown> };
      assert.equal(last.type, "message_delta");
      assert.deepEqual(last.usage.server_tool_use, { web_search_requests: 1, web_fetch_requests: 0 });
    });
  });
}
