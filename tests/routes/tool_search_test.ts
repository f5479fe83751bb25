// Claude Code's tool search (2.1.330): MCP tools arrive with `defer_loading: true` beside a
// `DeferredToolPlaceholder`, and after its ToolSearch tool runs the tool_result holds `tool_reference` blocks.
// Found: the gateway answered that request 400, and Claude Code then turned tool search off for the session.
// Now every family accepts it: upstreams without deferral get the loaded tools declared and the references as
// text; real Claude on Zen gets the request as Claude Code sent it.
import * as assert from "node:assert/strict";
import { parseConfig } from "../../lib/config.ts";
import { fakeCatalog, type FakeModel } from "../support/fake_catalog.ts";
import { testGateway } from "../support/log_tap.ts";
import {
  fakeFetch,
  familyOfUrl,
  GO_URL,
  messagesRequest,
  scriptedAnswer,
  TEST_SETTINGS,
  ZEN_URL,
} from "../support/reliability_harness.ts";

const models: FakeModel[] = [
  { id: "kimi-k2.6", family: "openai-chat" },
  { id: "minimax-m2.7", family: "anthropic" },
  { id: "gpt-5.5", family: "openai-responses", service: "zen" },
  { id: "gemini-3-flash", family: "gemini", service: "zen" },
  { id: "claude-sonnet-4-6", family: "anthropic", service: "zen" },
];

function gateway() {
  const config = parseConfig({ ...TEST_SETTINGS, RETRIES: "0" });
  const { fetch, calls } = fakeFetch((call) => scriptedAnswer(familyOfUrl(call.url)));
  const handler = testGateway(config, { fetch, catalog: fakeCatalog(models, { go: GO_URL, zen: ZEN_URL }) });
  return { handler, calls };
}

const LOADED = "mcp__github__create_issue";
const NOT_LOADED = "mcp__slack__post_message";
const schema = (property: string) => ({
  type: "object",
  properties: { [property]: { type: "string" } },
  required: [property],
});

/** Shaped after the recorded Claude Code requests (fixtures/claude-code), with its tool names. */
function toolSearchBody(model: string, stream = false): Record<string, unknown> {
  return {
    model,
    max_tokens: 1_000,
    stream,
    tools: [
      { name: "Read", description: "Read a file", input_schema: schema("file_path") },
      { name: "ToolSearch", description: "Search deferred tools", input_schema: schema("query") },
      {
        name: "DeferredToolPlaceholder",
        description: "Reserved placeholder that keeps deferred tool loading active; never call this tool.",
        input_schema: { type: "object", properties: {} },
        defer_loading: true,
      },
      { name: LOADED, description: "Create an issue", input_schema: schema("title"), defer_loading: true },
      { name: NOT_LOADED, description: "Post to Slack", input_schema: schema("text"), defer_loading: true },
    ],
    messages: [
      { role: "user", content: [{ type: "text", text: "File an issue about the crash" }] },
      {
        role: "assistant",
        content: [{
          type: "tool_use",
          id: "toolu_search_1",
          name: "ToolSearch",
          input: { query: "github issue" },
        }],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_search_1",
          content: [{ type: "tool_reference", tool_name: LOADED }],
        }],
      },
    ],
  };
}

const referenceText = `Tool ${LOADED} is loaded and can now be called.`;
const headers = { "anthropic-beta": "advanced-tool-use-2025-11-20", "anthropic-version": "2023-06-01" };

/** Sends the request (non-stream and stream) and returns the upstream bodies. */
async function upstreamBodies(model: string): Promise<Record<string, unknown>[]> {
  const { handler, calls } = gateway();
  for (const stream of [false, true]) {
    const response = await handler(
      messagesRequest(toolSearchBody(model, stream), { key: "sk-client", headers }),
    );
    assert.equal(response.status, 200, await response.clone().text());
    await response.text();
  }
  assert.equal(calls.length, 2);
  return calls.map((call) => call.body!);
}

Deno.test("tool search → chat upstream: loaded deferred tool declared, placeholder and unloaded hidden, reference as text", async () => {
  for (const body of await upstreamBodies("kimi-k2.6")) {
    const tools = body.tools as { function: { name: string; parameters: unknown } }[];
    assert.deepEqual(tools.map((tool) => tool.function.name), ["Read", "ToolSearch", LOADED]);
    assert.deepEqual(tools[2].function.parameters, schema("title"));
    const toolMessage = (body.messages as { role: string; content: string }[]).find((m) => m.role === "tool");
    assert.equal(toolMessage?.content, referenceText);
  }
});

Deno.test("tool search → strict anthropic upstream (MiniMax): loaded tool declared without defer_loading, reference as text", async () => {
  for (const body of await upstreamBodies("minimax-m2.7")) {
    const tools = body.tools as Record<string, unknown>[];
    assert.deepEqual(tools.map((tool) => tool.name), ["Read", "ToolSearch", LOADED]);
    assert.ok(tools.every((tool) => !("defer_loading" in tool)));
    const result = (body.messages as { content: { type: string; content?: unknown }[] }[])
      .flatMap((message) => message.content)
      .find((block) => block.type === "tool_result");
    assert.deepEqual(result?.content, [{ type: "text", text: referenceText }]);
    assert.ok(!JSON.stringify(body).includes("tool_reference"));
  }
});

Deno.test("tool search → responses upstream: loaded tool declared, reference in the function_call_output", async () => {
  for (const body of await upstreamBodies("gpt-5.5")) {
    const tools = body.tools as { name: string }[];
    assert.deepEqual(tools.map((tool) => tool.name), ["Read", "ToolSearch", LOADED]);
    const output = (body.input as { type: string; output?: unknown }[]).find((item) =>
      item.type === "function_call_output"
    );
    assert.ok(JSON.stringify(output?.output).includes(referenceText), JSON.stringify(output));
    assert.ok(!JSON.stringify(body).includes("tool_reference"));
  }
});

Deno.test("tool search → gemini upstream: loaded tool declared, reference in the functionResponse", async () => {
  for (const body of await upstreamBodies("gemini-3-flash")) {
    const declarations =
      (body.tools as { functionDeclarations: { name: string }[] }[])[0].functionDeclarations;
    assert.deepEqual(declarations.map((declaration) => declaration.name), ["Read", "ToolSearch", LOADED]);
    assert.ok(JSON.stringify(body.contents).includes(referenceText));
    assert.ok(!JSON.stringify(body).includes("tool_reference"));
  }
});

Deno.test("tool search → real Claude on Zen: deferred tools and tool_reference go as Claude Code sent them", async () => {
  for (const body of await upstreamBodies("claude-sonnet-4-6")) {
    const tools = body.tools as { name: string; defer_loading?: boolean }[];
    assert.equal(tools.length, 5);
    assert.equal(tools.find((tool) => tool.name === NOT_LOADED)?.defer_loading, true);
    assert.ok(JSON.stringify(body.messages).includes(`{"type":"tool_reference","tool_name":"${LOADED}"}`));
  }
});

Deno.test("tool search: a deferred tool called earlier in the conversation stays declared; count_tokens accepts references", async () => {
  const { handler, calls } = gateway();
  const body = toolSearchBody("kimi-k2.6");
  (body.messages as unknown[]).push(
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_2", name: NOT_LOADED, input: { text: "hi" } }],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "posted" }] },
  );
  const response = await handler(messagesRequest(body, { key: "sk-client", headers }));
  assert.equal(response.status, 200);
  await response.body?.cancel();
  const tools = calls[0].body!.tools as { function: { name: string } }[];
  assert.deepEqual(tools.map((tool) => tool.function.name), ["Read", "ToolSearch", LOADED, NOT_LOADED]);
  const counted = await handler(
    messagesRequest(toolSearchBody("kimi-k2.6"), {
      key: "sk-client",
      path: "/v1/messages/count_tokens",
      headers,
    }),
  );
  assert.equal(counted.status, 200);
  assert.ok((await counted.json()).input_tokens > 0);
});
