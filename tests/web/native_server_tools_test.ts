/**
 * Claude on Zen runs web_search / web_fetch itself (catalog capability `serverTools`): the tools and the
 * history blocks reach the upstream as the client sent them, and the upstream's own server_tool_use /
 * web_search_tool_result blocks reach the client unchanged, streamed and not.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { type ClaudeEvent, claudeWebSearchEvents } from "../support/claude_web_search_events.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { COST_PING, frame } from "../support/fake_anthropic_upstream.ts";
import {
  byteChunks,
  type FakeUpstream,
  type RecordedRequest,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { encodeCitation, encodeHit } from "../../lib/web/web_envelope.ts";

type Event = ClaudeEvent;

const SEARCH_TOOL = {
  type: "web_search_20250305",
  name: "web_search",
  max_uses: 3,
  allowed_domains: ["deno.com"],
};
const FETCH_TOOL = { type: "web_fetch_20250910", name: "web_fetch", max_uses: 2 };
const RESULT_CONTENT = [{
  type: "web_search_result",
  title: "Deno 2.6",
  url: "https://deno.com/blog/v2.6",
  encrypted_content: "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5LTQ1NGUtODgxNC1kNjNjNTk1ZWI3Y2MSDBd7",
  page_age: "December 10, 2025",
}];

const CITATION = {
  type: "web_search_result_location",
  url: "https://deno.com/blog/v2.6",
  title: "Deno 2.6",
  encrypted_index: "Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm",
  cited_text: "Deno 2.6 ships dx, a tool runner.",
};

/** What Anthropic streams for one search: the call, its result, then cited text. */
function claudeSearchEvents(model: string): Event[] {
  return claudeWebSearchEvents(model, {
    messageId: "msg_native_1",
    toolId: "srvtoolu_01Native",
    queryFragments: ['{"query": "deno 2.6', ' release"}'],
    results: RESULT_CONTENT,
    citation: CITATION,
    text: "Deno 2.6 shipped dx.",
    usage: { input: 120, firstOutput: 1, output: 40 },
  });
}

async function withClaudeOnZen(
  run: (context: { client: Anthropic; upstream: FakeUpstream; events: Event[] }) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream((request: RecordedRequest) => {
    const body = request.body as { model: string };
    const text = claudeSearchEvents(body.model).map(frame).join("") + COST_PING;
    return sseResponse(byteChunks(text, 53));
  });
  const gateway = serveGateway(
    testGateway(testConfig({}), {
      catalog: fakeCatalog([{ id: "claude-sonnet-4-6", family: "anthropic", service: "zen" }], {
        go: upstream.url,
        zen: upstream.url,
      }),
    }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    await run({ client, upstream, events: claudeSearchEvents("claude-sonnet-4-6") });
  } finally {
    await gateway.close();
    await upstream.close();
  }
}

const HISTORY: Anthropic.MessageParam[] = [
  { role: "user", content: "What is new in Deno?" },
  {
    role: "assistant",
    content: [
      {
        type: "server_tool_use",
        id: "srvtoolu_01Earlier",
        name: "web_search",
        input: { query: "deno news" },
      },
      {
        type: "web_search_tool_result",
        tool_use_id: "srvtoolu_01Earlier",
        content: RESULT_CONTENT,
      } as Anthropic.WebSearchToolResultBlockParam,
      { type: "text", text: "Deno 2.6 is out." },
    ],
  },
  { role: "user", content: "Search for the 2.6 release notes." },
];

function startBlocks(events: { type: string }[], types: string[]): unknown[] {
  return events
    .filter((event) => event.type === "content_block_start")
    .map((event) => (event as unknown as { content_block: { type: string } }).content_block)
    .filter((block) => types.includes(block.type));
}

Deno.test("native server tools: tools and history reach Claude on Zen as sent; its blocks stream back unchanged", async () => {
  await withClaudeOnZen(async ({ client, upstream, events }) => {
    const stream = client.messages.stream({
      model: "claude-sonnet-4-6",
      max_tokens: 1024,
      tools: [SEARCH_TOOL, FETCH_TOOL] as Anthropic.ToolUnion[],
      messages: HISTORY,
    });
    const received: { type: string }[] = [];
    for await (const event of stream) received.push(event);
    const message = await stream.finalMessage();
    const sent = upstream.requests[0].body as { tools: unknown[]; messages: unknown[] };
    assert.deepEqual(sent.tools, [SEARCH_TOOL, FETCH_TOOL]);
    assert.deepEqual(sent.messages, HISTORY);
    const serverTypes = ["server_tool_use", "web_search_tool_result"];
    assert.deepEqual(startBlocks(received, serverTypes), startBlocks(events, serverTypes));
    assert.deepEqual(message.content[0], {
      type: "server_tool_use",
      id: "srvtoolu_01Native",
      name: "web_search",
      input: { query: "deno 2.6 release" },
    });
    assert.deepEqual(message.content[1], {
      type: "web_search_tool_result",
      tool_use_id: "srvtoolu_01Native",
      content: RESULT_CONTENT,
    } as Anthropic.ContentBlock);
    assert.deepEqual(message.content[2], {
      type: "text",
      text: "Deno 2.6 shipped dx.",
      citations: [CITATION],
    });
    assert.deepEqual(message.usage.server_tool_use?.web_search_requests, 1);
  });
});

Deno.test("native server tools: a non-stream answer carries Claude's own server-tool blocks", async () => {
  await withClaudeOnZen(async ({ client, upstream }) => {
    const message = await client.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 1024,
      tools: [SEARCH_TOOL] as Anthropic.ToolUnion[],
      messages: HISTORY,
    });
    const sent = upstream.requests[0].body as { tools: unknown[]; messages: unknown[] };
    assert.deepEqual(sent.tools, [SEARCH_TOOL]);
    assert.deepEqual(sent.messages, HISTORY);
    assert.deepEqual(message.content, [
      {
        type: "server_tool_use",
        id: "srvtoolu_01Native",
        name: "web_search",
        input: { query: "deno 2.6 release" },
      },
      { type: "web_search_tool_result", tool_use_id: "srvtoolu_01Native", content: RESULT_CONTENT },
      { type: "text", text: "Deno 2.6 shipped dx.", citations: [CITATION] },
    ] as Anthropic.ContentBlock[]);
    assert.deepEqual(message.usage.server_tool_use?.web_search_requests, 1);
  });
});

Deno.test("native server tools: a Go model (no serverTools in the catalog) is still emulated", async () => {
  const upstream = startFakeUpstream(() => new Response("unused", { status: 500 }));
  const gateway = serveGateway(
    testGateway(testConfig({}), {
      catalog: fakeCatalog([{ id: "claude-sonnet-4-6", family: "anthropic", service: "go" }], {
        go: upstream.url,
      }),
    }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    await client.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 1024,
      tools: [SEARCH_TOOL] as Anthropic.ToolUnion[],
      messages: [{ role: "user", content: "hi" }],
    }).catch(() => undefined);
    const tools = (upstream.requests[0].body as { tools: { name: string; type?: string }[] }).tools;
    assert.deepEqual(tools.map((tool) => [tool.name, tool.type]), [["web_search", undefined]]);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

Deno.test("native server tools: a search the gateway emulated on another model reaches Claude as text", async () => {
  await withClaudeOnZen(async ({ client, upstream }) => {
    const hit = { url: "https://deno.com/blog/v2.5", title: "Deno 2.5", snippet: "Permissions in config." };
    const history: Anthropic.MessageParam[] = [
      { role: "user", content: "What came before 2.6?" },
      {
        role: "assistant",
        content: [
          { type: "server_tool_use", id: "srvtoolu_gw1", name: "web_search", input: { query: "deno 2.5" } },
          {
            type: "web_search_tool_result",
            tool_use_id: "srvtoolu_gw1",
            content: [{
              type: "web_search_result",
              title: hit.title,
              url: hit.url,
              encrypted_content: encodeHit(hit),
            }],
          } as Anthropic.WebSearchToolResultBlockParam,
          {
            type: "text",
            text: "Deno 2.5 added permissions in config.",
            citations: [{
              type: "web_search_result_location",
              url: hit.url,
              title: hit.title,
              cited_text: hit.snippet,
              encrypted_index: encodeCitation({ url: hit.url, title: hit.title, citedText: hit.snippet }),
            }],
          },
        ],
      },
      ...HISTORY,
    ];
    await client.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 1024,
      tools: [SEARCH_TOOL] as Anthropic.ToolUnion[],
      messages: history,
    });
    const sent = upstream.requests[0].body as { messages: Anthropic.MessageParam[] };
    // Claude's own blocks (HISTORY) go as sent; the gateway's envelope never reaches Anthropic.
    assert.deepEqual(sent.messages.slice(2), HISTORY);
    assert.ok(!JSON.stringify(sent.messages).includes("ocb1.web."));
    assert.deepEqual(sent.messages[1].content, [
      {
        type: "text",
        text:
          '[An earlier search the gateway ran] Web search results for "deno 2.5" (cite the URLs you use):\n\n' +
          "[1] Deno 2.5\nURL: https://deno.com/blog/v2.5\nPermissions in config.",
      },
      {
        type: "text",
        text: "Deno 2.5 added permissions in config. [source: Deno 2.5 <https://deno.com/blog/v2.5>]",
      },
    ]);
  });
});
