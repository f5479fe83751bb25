/**
 * CitedText on its own: markers split across deltas, several markers in one, numbers no result has, and the
 * OpenAI style's links and url_citation indices, checked by folding the emitted hub events.
 */
import assert from "node:assert/strict";
import type { HubEvent } from "../../lib/hub/schema.ts";
import { type CitationStyle, CitedText } from "../../lib/web/cited_text.ts";

const SOURCES = [
  {
    url: "https://www.deno.com/blog/v2.6",
    title: "Deno 2.6",
    snippet: "Deno 2.6 adds a package manager UI.",
  },
  { url: "https://docs.deno.com/runtime/", title: "Deno docs", snippet: "The manual." },
];

/** Feeds the deltas; returns the blocks as [text, citations] and checks each block opens and closes once. */
function run(style: CitationStyle, deltas: string[]) {
  let next = 0;
  const text = new CitedText(style, SOURCES, () => next++);
  const events: HubEvent[] = [
    ...text.start(),
    ...deltas.flatMap((delta) => text.delta(delta)),
    ...text.stop(),
  ];
  const blocks: { text: string; citations: Record<string, unknown>[]; open: boolean }[] = [];
  for (const event of events) {
    if (event.type === "content_block_start") blocks[event.index] = { text: "", citations: [], open: true };
    if (event.type === "content_block_stop") blocks[event.index].open = false;
    if (event.type !== "content_block_delta") continue;
    const block = blocks[event.index];
    assert.ok(block?.open, `delta for a closed block ${event.index}`);
    if (event.delta.type === "text_delta") block.text += event.delta.text;
    if (event.delta.type === "citations_delta") block.citations.push(event.delta.citation);
  }
  assert.ok(blocks.every((block) => !block.open));
  return blocks;
}

Deno.test("CitedText (Anthropic): a marker split across deltas still cites, the space before it goes", () => {
  const blocks = run("anthropic", ["Intro. It adds a UI ", "[", "1", "]. More", " text [2", ", 1] end"]);
  assert.deepEqual(blocks.map((block) => [block.text, block.citations.map((citation) => citation.url)]), [
    ["Intro. ", []],
    ["It adds a UI", ["https://www.deno.com/blog/v2.6"]],
    [". ", []],
    ["More text", ["https://docs.deno.com/runtime/", "https://www.deno.com/blog/v2.6"]],
    [" end", []],
  ]);
  assert.equal(blocks[1].citations[0].cited_text, "Deno 2.6 adds a package manager UI.");
});

Deno.test("CitedText (Anthropic): wrong numbers, years and an unfinished marker stay text", () => {
  const blocks = run("anthropic", ["See [3] and [2026", "] or [x]. Tail ["]);
  assert.deepEqual(blocks.map((block) => [block.text, block.citations.length]), [
    ["See [3] and [2026] or [x]. Tail [", 0],
  ]);
});

Deno.test("CitedText (OpenAI): a marker becomes a markdown link and a url_citation covering it", () => {
  const [block] = run("openai", ["It adds a UI [", "1]. Docs [1, 2]."]);
  assert.equal(
    block.text,
    "It adds a UI ([deno.com](https://www.deno.com/blog/v2.6)). Docs ([deno.com](https://www.deno.com/blog/v2.6), " +
      "[docs.deno.com](https://docs.deno.com/runtime/)).",
  );
  assert.equal(block.citations.length, 3);
  for (const citation of block.citations) {
    assert.equal(citation.type, "url_citation");
    const span = block.text.slice(citation.start_index as number, citation.end_index as number);
    assert.equal(span, `[${new URL(citation.url as string).hostname.replace("www.", "")}](${citation.url})`);
  }
  assert.equal(block.citations[2].title, "Deno docs");
});

Deno.test("CitedText: with no results yet, text passes through untouched", () => {
  let next = 0;
  const text = new CitedText("anthropic", [], () => next++);
  const events = [...text.start(), ...text.delta("Let me check [1]. "), ...text.stop()];
  const deltas = events.flatMap((event) =>
    event.type === "content_block_delta" && event.delta.type === "text_delta" ? [event.delta.text] : []
  );
  assert.equal(deltas.join(""), "Let me check [1]. ");
  assert.equal(next, 1);
});
