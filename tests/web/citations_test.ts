/**
 * Citations on emulated web search answers, through the official Anthropic SDK: the `[n]` markers a model of
 * each family writes become `web_search_result_location` citations on split text blocks (streamed as
 * `citations_delta`), wrong numbers stay text, and on a later turn the citations reach every family as text
 * with their sources, never raw.
 */
import type Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { decodeCitation } from "../../lib/web/web_envelope.ts";
import { assertHubGrammar, parseAnthropicSse } from "../support/check_hub_grammar.ts";
import type { RecordedRequest } from "../support/fake_upstream.ts";
import type { ModelStep } from "./web_fakes.ts";
import { answerAfterSearch, withWebGateway } from "./web_gateway.ts";

const SEARCH_TOOL = { type: "web_search_20250305", name: "web_search", max_uses: 8 } as const;
const ANSWER = "Deno 2.6 is out. It adds a package manager UI [1]. The manual covers it [2][7].";
const families: Family[] = ["openai-chat", "anthropic", "openai-responses", "gemini"];

type Block = { type: string; text?: string; citations?: Record<string, unknown>[] | null };

/** The answer's text blocks after the search result, as [text, cited urls]. */
function answerBlocks(content: Block[]): [string, string[]][] {
  const after = content.slice(content.findIndex((block) => block.type === "web_search_tool_result") + 1);
  return after.map((
    block,
  ) => [block.text ?? "", (block.citations ?? []).map((citation) => String(citation.url))]);
}

const EXPECTED: [string, string[]][] = [
  ["Deno 2.6 is out. ", []],
  ["It adds a package manager UI", ["https://deno.com/blog/v2.6"]],
  [". ", []],
  ["The manual covers it", ["https://docs.deno.com/runtime/"]],
  ["[7].", []],
];

for (const family of families) {
  Deno.test(`citations on a ${family} model, non-stream: markers become web_search_result_location`, async () => {
    await withWebGateway(family, answerAfterSearch(ANSWER), async ({ client, upstream }) => {
      const message = await client.messages.create({
        model: "model-x",
        max_tokens: 1000,
        messages: [{ role: "user", content: "What is new in Deno 2.6?" }],
        tools: [SEARCH_TOOL],
      });
      assert.deepEqual(answerBlocks(message.content as Block[]), EXPECTED);
      // The model was asked to cite by number, and its numbers match the list it read.
      const read = JSON.stringify(upstream.requests[1].body);
      assert.ok(read.includes("cite it by writing its number in brackets"), read);
      assert.ok(read.includes("[1] Deno 2.6") && read.includes("[2] Deno docs"), read);
      const cited = message.content.find((block) => block.type === "text" && block.citations?.length)!;
      const citation = (cited as Anthropic.TextBlock)
        .citations![0] as Anthropic.CitationsWebSearchResultLocation;
      assert.equal(citation.type, "web_search_result_location");
      assert.equal(citation.title, "Deno 2.6");
      assert.equal(citation.cited_text, "Deno 2.6 adds a package manager UI.");
      assert.deepEqual(decodeCitation(citation.encrypted_index), {
        url: "https://deno.com/blog/v2.6",
        title: "Deno 2.6",
        citedText: "Deno 2.6 adds a package manager UI.",
      });
    });
  });

  Deno.test(`citations on a ${family} model, streamed: citations_delta per cited block, grammar kept`, async () => {
    await withWebGateway(family, answerAfterSearch(ANSWER), async ({ client }) => {
      const params = {
        model: "model-x",
        max_tokens: 1000,
        messages: [{ role: "user" as const, content: "What is new in Deno 2.6?" }],
        tools: [SEARCH_TOOL],
      };
      const message = await client.messages.stream(params).finalMessage();
      assert.deepEqual(answerBlocks(message.content as Block[]), EXPECTED);
      const raw = await client.messages.create({ ...params, stream: true }).asResponse();
      const events = parseAnthropicSse(await raw.text());
      assertHubGrammar(events);
      const deltas = events.filter((event) =>
        (event as { delta?: { type: string } }).delta?.type === "citations_delta"
      );
      assert.equal(deltas.length, 2);
    });
  });
}

for (const family of families) {
  Deno.test(`citations in history reach a ${family} model as text with their sources`, async () => {
    const steps = (_request: RecordedRequest, call: number): ModelStep =>
      call === 0
        ? { tool: "web_search", query: "deno 2.6 release" }
        : { text: call === 1 ? ANSWER : "Sure." };
    await withWebGateway(family, steps, async ({ client, upstream }) => {
      const first = await client.messages.create({
        model: "model-x",
        max_tokens: 1000,
        messages: [{ role: "user", content: "What is new in Deno 2.6?" }],
        tools: [SEARCH_TOOL],
      });
      await client.messages.create({
        model: "model-x",
        max_tokens: 1000,
        messages: [
          { role: "user", content: "What is new in Deno 2.6?" },
          { role: "assistant", content: first.content as Anthropic.ContentBlockParam[] },
          { role: "user", content: "Thanks. Anything else?" },
        ],
        tools: [SEARCH_TOOL],
      });
      const sent = JSON.stringify(upstream.requests.at(-1)!.body);
      assert.ok(!sent.includes("citations"), sent);
      assert.ok(!sent.includes("ocb1.web-cite."), sent);
      assert.ok(!sent.includes("web_search_result_location"), sent);
      assert.ok(
        sent.includes("It adds a package manager UI [source: Deno 2.6 <https://deno.com/blog/v2.6>]"),
        sent,
      );
    });
  });
}

Deno.test("citations: a model that cites nothing gets its text through unchanged, in one block", async () => {
  const answer = "Deno 2.6 adds a package manager UI. Versions [2025] and [x] are not sources.";
  await withWebGateway("openai-chat", answerAfterSearch(answer), async ({ client }) => {
    const message = await client.messages.stream({
      model: "model-x",
      max_tokens: 1000,
      messages: [{ role: "user", content: "What is new in Deno 2.6?" }],
      tools: [SEARCH_TOOL],
    }).finalMessage();
    assert.deepEqual(answerBlocks(message.content as Block[]), [[answer, []]]);
  });
});

Deno.test("citations: results are numbered across searches, so [4] is the second search's second hit", async () => {
  const steps = (_request: RecordedRequest, call: number): ModelStep =>
    call < 2 ? { tool: "web_search", query: `deno ${call}` } : { text: "The manual is online [4]." };
  await withWebGateway("openai-chat", steps, async ({ client, upstream }) => {
    const message = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: [{ role: "user", content: "Where is the Deno manual?" }],
      tools: [SEARCH_TOOL],
    });
    const second = JSON.stringify(upstream.requests[2].body);
    assert.ok(second.includes("[3] Deno 2.6") && second.includes("[4] Deno docs"), second);
    const last = message.content.at(-2) as Anthropic.TextBlock;
    assert.equal(last.text, "The manual is online");
    assert.deepEqual(last.citations?.map((citation) => (citation as { url: string }).url), [
      "https://docs.deno.com/runtime/",
    ]);
  });
});
