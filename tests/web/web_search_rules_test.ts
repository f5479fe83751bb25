/**
 * The rules around emulated web_search: no backend configured, max_uses, the loop limit, domain filters on
 * Tavily and SearXNG, invalid tool settings, and the history round trip on a later turn.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway, startFakeUpstream } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { chatReply, lastToolResultText, type ModelStep, startFakeTavily } from "./web_fakes.ts";
import { searchOnce, withWebGateway } from "./web_gateway.ts";

const question = [{ role: "user" as const, content: "What is new in Deno 2.6?" }];
const alwaysSearch = (): ModelStep => ({ tool: "web_search", query: "deno" });

Deno.test("no search backend: Anthropic's unavailable error form, the model is told, the log says why", async () => {
  await withWebGateway("openai-chat", searchOnce, async ({ client, upstream, logs }) => {
    const message = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: question,
      tools: [{ type: "web_search_20250305", name: "web_search" }],
    });
    const result = message.content.find((block) => block.type === "web_search_tool_result")!;
    assert.deepEqual(result.content, { type: "web_search_tool_result_error", error_code: "unavailable" });
    assert.match(lastToolResultText(upstream.requests[1].body), /no search backend is configured/);
    assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 0, web_fetch_requests: 0 });
    const line = logs.map((entry) => JSON.parse(entry)).find((entry) => entry.msg === "request");
    assert.match(JSON.stringify(line.notes), /TAVILY_API_KEY or SEARXNG_URL/);
  }, "none");
});

Deno.test("max_uses: the call past the limit gets max_uses_exceeded and is not billed", async () => {
  const steps = (_request: unknown, call: number): ModelStep =>
    call < 2 ? { tool: "web_search", query: `deno ${call}` } : { text: "done" };
  await withWebGateway("openai-chat", steps, async ({ client, backend }) => {
    const message = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: question,
      tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 1 }],
    });
    const results = message.content.filter((block) => block.type === "web_search_tool_result");
    assert.equal(results.length, 2);
    assert.ok(Array.isArray(results[0].content));
    assert.deepEqual(results[1].content, {
      type: "web_search_tool_result_error",
      error_code: "max_uses_exceeded",
    });
    assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 1, web_fetch_requests: 0 });
    assert.equal(backend!.requests.length, 1);
    assert.equal(message.usage.input_tokens, 300);
  });
});

Deno.test("the loop stops at WEB_TOOLS_MAX_ROUNDS with a finished message", async () => {
  await withWebGateway(
    "openai-chat",
    alwaysSearch,
    async ({ client, upstream }) => {
      const message = await client.messages.create({
        model: "model-x",
        max_tokens: 1000,
        messages: question,
        tools: [{ type: "web_search_20250305", name: "web_search" }],
      });
      assert.equal(upstream.requests.length, 3);
      assert.equal(message.stop_reason, "end_turn");
      assert.equal(message.content.filter((block) => block.type === "server_tool_use").length, 2);
    },
    "tavily",
    { WEB_TOOLS_MAX_ROUNDS: "3" },
  );
});

Deno.test("Tavily gets allowed_domains as include_domains; hits outside are dropped", async () => {
  await withWebGateway("openai-chat", searchOnce, async ({ client, backend }) => {
    const message = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: question,
      tools: [{ type: "web_search_20250305", name: "web_search", allowed_domains: ["docs.deno.com"] }],
    });
    assert.deepEqual((backend!.requests[0].body as Record<string, unknown>).include_domains, [
      "docs.deno.com",
    ]);
    const result = message.content.find((block) => block.type === "web_search_tool_result")!;
    assert.deepEqual((result.content as { url: string }[]).map((hit) => hit.url), [
      "https://docs.deno.com/runtime/",
    ]);
  });
});

Deno.test("SearXNG: JSON search, blocked_domains applied to the hits, page_age from publishedDate", async () => {
  await withWebGateway("openai-chat", searchOnce, async ({ client, backend }) => {
    const message = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: question,
      tools: [{ type: "web_search_20250305", name: "web_search", blocked_domains: ["example.net"] }],
    });
    const request = backend!.requests[0];
    assert.equal(request.method, "GET");
    const result = message.content.find((block) => block.type === "web_search_tool_result")!;
    const hits = result.content as { url: string; page_age: string | null }[];
    assert.deepEqual(hits.map((hit) => hit.url), ["https://example.org/a"]);
    assert.equal(hits[0].page_age, "2026-11-20");
    assert.match((message.content.at(-1) as { text: string }).text, /Alpha snippet/);
  }, "searxng");
});

Deno.test("allowed_domains with blocked_domains, or a wildcard host, is a 400", async () => {
  await withWebGateway("openai-chat", searchOnce, async ({ client, upstream }) => {
    for (
      const tool of [
        { allowed_domains: ["a.com"], blocked_domains: ["b.com"] },
        { allowed_domains: ["*.a.com"] },
      ]
    ) {
      await assert.rejects(
        client.messages.create({
          model: "model-x",
          max_tokens: 100,
          messages: question,
          tools: [{ type: "web_search_20250305", name: "web_search", ...tool }],
        }),
        (error: unknown) => error instanceof Anthropic.BadRequestError,
      );
    }
    assert.equal(upstream.requests.length, 0);
  });
});

Deno.test("history round trip: a past search goes upstream as a function call and its result, never raw", async () => {
  await withWebGateway("openai-chat", searchOnce, async ({ client, upstream }) => {
    const first = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: question,
      tools: [{ type: "web_search_20250305", name: "web_search" }],
    });
    upstream.requests.length = 0;
    await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: [
        ...question,
        { role: "assistant", content: first.content as Anthropic.ContentBlockParam[] },
        { role: "user", content: "And what about the docs?" },
      ],
      tools: [{ type: "web_search_20250305", name: "web_search" }],
    });
    const body = upstream.requests[0].body as { messages: Record<string, unknown>[] };
    const sent = JSON.stringify(body.messages);
    assert.doesNotMatch(sent, /server_tool_use|web_search_tool_result|encrypted_content/);
    const roles = body.messages.map((message) => message.role);
    assert.deepEqual(roles, ["user", "assistant", "tool", "assistant", "user"]);
    const call =
      (body.messages[1].tool_calls as { id: string; function: { name: string; arguments: string } }[])[0];
    assert.equal(call.function.name, "web_search");
    assert.deepEqual(JSON.parse(call.function.arguments), { query: "deno 2.6 release" });
    assert.match(call.id, /^srvtoolu_/);
    assert.equal(body.messages[2].tool_call_id, call.id);
    // Rebuilt from encrypted_content: the snippet the model read the first time.
    assert.match(String(body.messages[2].content), /Deno 2\.6 adds a package manager UI/);
  });
});

Deno.test("a tampered or foreign encrypted_content keeps only title and URL", async () => {
  await withWebGateway("openai-chat", () => ({ text: "ok" }), async ({ client, upstream }) => {
    await client.messages.create({
      model: "model-x",
      max_tokens: 100,
      messages: [
        ...question,
        {
          role: "assistant",
          content: [
            { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "q" } },
            {
              type: "web_search_tool_result",
              tool_use_id: "srvtoolu_1",
              content: [{
                type: "web_search_result",
                url: "https://a.example/",
                title: "A",
                encrypted_content: "EqkCCkYIBxgCKkDforeign",
                page_age: null,
              }],
            },
            { type: "text", text: "Found A." },
          ],
        },
        { role: "user", content: "thanks" },
      ],
    });
    const sent = JSON.stringify(upstream.requests[0].body);
    assert.match(sent, /\[1\] A\\nURL: https:\/\/a.example\//);
    assert.doesNotMatch(sent, /EqkCCkYIBxgCKkDforeign/);
  });
});

Deno.test("a slow search keeps the stream alive with pings between server_tool_use and its result", async () => {
  const slow = startFakeUpstream(async (request) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return Response.json({ query: (request.body as { query: string }).query, results: [] });
  });
  try {
    await withWebGateway(
      "openai-chat",
      searchOnce,
      async ({ client }) => {
        const response = await client.messages.create({
          model: "model-x",
          max_tokens: 1000,
          messages: question,
          tools: [{ type: "web_search_20250305", name: "web_search" }],
          stream: true,
        }).asResponse();
        const text = await response.text();
        const order = [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((match) =>
          match[1] === "content_block_start" ? JSON.parse(match[2]).content_block.type : match[1]
        );
        const use = order.indexOf("server_tool_use");
        const result = order.indexOf("web_search_tool_result");
        assert.ok(use >= 0 && result > use, order.join(","));
        assert.ok(order.slice(use, result).includes("ping"), order.join(","));
      },
      "tavily",
      { TAVILY_BASE_URL: slow.url, PING_INTERVAL_MS: "50" },
    );
  } finally {
    await slow.close();
  }
});

Deno.test("an upstream failure in a later round ends the stream with an error event the log records", async () => {
  let calls = 0;
  const upstream = startFakeUpstream(() =>
    calls++ === 0
      ? chatReply({ tool: "web_search", query: "deno" })
      : Response.json({ error: { message: "context too long", type: "invalid_request_error" } }, {
        status: 400,
      })
  );
  const tavily = startFakeTavily();
  const logs: string[] = [];
  const gateway = serveGateway(
    testGateway(testConfig({ TAVILY_API_KEY: "tvly-test-key", TAVILY_BASE_URL: tavily.url }), {
      catalog: fakeCatalog([{ id: "model-x", family: "openai-chat", reasoning: false }], {
        go: upstream.url,
      }),
      log: (line) => logs.push(line),
    }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    const stream = client.messages.stream({
      model: "model-x",
      max_tokens: 100,
      messages: question,
      tools: [{ type: "web_search_20250305", name: "web_search" }],
    });
    const seen: string[] = [];
    stream.on("contentBlock", (block) => seen.push(block.type));
    await assert.rejects(stream.finalMessage(), /context too long/);
    assert.deepEqual(seen.filter((type) => type !== "text"), ["server_tool_use", "web_search_tool_result"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = logs.map((entry) => JSON.parse(entry)).find((entry) => entry.msg === "request");
    assert.match(JSON.stringify(line?.error), /context too long/);
  } finally {
    await gateway.close();
    await upstream.close();
    await tavily.close();
  }
});

Deno.test("user_location on Anthropic's web_search tool is told to the model in the function's description", async () => {
  await withWebGateway("openai-chat", searchOnce, async ({ client, upstream }) => {
    await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: question,
      tools: [{
        type: "web_search_20250305",
        name: "web_search",
        user_location: { type: "approximate", city: "Osaka", country: "JP", timezone: "Asia/Tokyo" },
      }],
    });
    const tools = (upstream.requests[0].body as { tools: { function: { description: string } }[] }).tools;
    assert.match(tools[0].function.description, /located in or near: Osaka, JP; time zone Asia\/Tokyo\.$/);
  });
});
