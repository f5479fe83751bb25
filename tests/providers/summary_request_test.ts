import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { parseAnthropicRequest } from "../../lib/formats/anthropic/client.ts";
import {
  isSummaryRequest,
  needsSummaryFormat,
  SUMMARY_FORMAT_INSTRUCTION,
  withSummaryFormat,
} from "../../lib/providers/summary_request.ts";
import { providerKeys, requestLines, withProviderGateway } from "../support/fake_provider_upstreams.ts";

// Shaped like Claude Code's compaction turn (our own words): the conversation, then a last user message that
// asks for a summary of it inside <analysis> and <summary> tags, with the tools still defined.
const compactionTurn =
  "Text only, no tools. Write a detailed summary of the conversation so far. Think inside " +
  "<analysis></analysis> first, then give the summary inside <summary></summary> with numbered sections.";
const tools = [{ name: "Write", description: "Writes a file", input_schema: { type: "object" as const } }];
const history: Anthropic.MessageParam[] = [
  { role: "user", content: "Create notes.txt" },
  {
    role: "assistant",
    content: [{
      type: "tool_use",
      id: "toolu_1",
      name: "Write",
      input: { file_path: "notes.txt", content: "x" },
    }],
  },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
  { role: "assistant", content: "Done." },
];

Deno.test("isSummaryRequest recognises the compaction turn and nothing else", () => {
  const hub = (last: string) =>
    parseAnthropicRequest({
      model: "m",
      max_tokens: 10,
      messages: [...history, { role: "user", content: last }],
    });
  assert.equal(isSummaryRequest(hub(compactionTurn)), true);
  assert.equal(isSummaryRequest(hub("Summarize the file")), false);
  assert.equal(isSummaryRequest(hub("What does <summary> mean in HTML?")), false);
  assert.equal(needsSummaryFormat({ upstreamModel: "claude-sonnet-4-6" }), false);
  assert.equal(needsSummaryFormat({ upstreamModel: "qwen3-coder:30b" }), true);
});

Deno.test("withSummaryFormat appends the exact format and turns tool calls off, tools kept", () => {
  const hub = parseAnthropicRequest({
    model: "m",
    max_tokens: 10,
    system: [{ type: "text", text: "You are a coding agent." }],
    tools,
    messages: [...history, { role: "user", content: compactionTurn }],
  });
  const changed = withSummaryFormat(hub);
  assert.deepEqual(changed.system, [
    { type: "text", text: "You are a coding agent." },
    { type: "text", text: SUMMARY_FORMAT_INSTRUCTION },
  ]);
  assert.deepEqual(changed.tool_choice, { type: "none" });
  assert.deepEqual(changed.tools, hub.tools);
  assert.deepEqual(changed.messages, hub.messages);
  // The lines Claude Code's parser looks for: a line starting with <summary>, closed by </summary>.
  assert.match(SUMMARY_FORMAT_INSTRUCTION, /^<summary>$/m);
  assert.match(SUMMARY_FORMAT_INSTRUCTION, /^<\/summary>$/m);
  assert.match(SUMMARY_FORMAT_INSTRUCTION, /^<analysis>$/m);
});

Deno.test("a compaction request to a non-Claude provider model carries the format; a normal turn does not", async () => {
  const file = (origin: string) =>
    JSON.stringify({
      providers: [{
        name: "local",
        baseUrl: `${origin}/openrouter/api/v1`,
        format: "openai-chat",
        apiKey: providerKeys.openrouter,
        models: [{ id: "coder", upstreamId: "qwen3-coder:30b" }],
      }],
    });
  await withProviderGateway(file, async ({ url, fake, lines }) => {
    const client = new Anthropic({ baseURL: url, apiKey: "sk-client", maxRetries: 0 });
    for (const last of [compactionTurn, "Thanks"]) {
      await client.messages.create({
        model: "local/coder",
        max_tokens: 1000,
        system: "You are a coding agent.",
        tools,
        messages: [...history, { role: "user", content: last }],
      });
    }
    const [compaction, normal] = fake.calls.map((call) => call.body as Record<string, unknown>);
    const systemOf = (body: Record<string, unknown>) =>
      JSON.stringify((body.messages as { role: string }[]).filter((message) => message.role === "system"));
    assert(systemOf(compaction).includes("put each tag on a line of its own"));
    assert.equal(compaction.tool_choice, "none");
    assert(Array.isArray(compaction.tools) && compaction.tools.length === 1);
    assert(!systemOf(normal).includes("put each tag on a line of its own"));
    assert.notEqual(normal.tool_choice, "none");
    const logged = requestLines(lines);
    assert.equal(logged[0].summary_format, true);
    assert.equal(logged[1].summary_format, undefined);
  });
});
