/**
 * What turning `[n]` markers into citations costs on an answer's text (lib/web/cited_text.ts), against
 * passing the deltas through as before, both written as Anthropic SSE: a ~40 KB answer in ~2,000 deltas of
 * ~20 characters, a marker every third sentence, ten numbered results.
 *
 *   deno bench -A bench/cited_text_bench.ts
 */
import type { HubEvent } from "../lib/hub/schema.ts";
import { type CitationStyle, CitedText } from "../lib/web/cited_text.ts";
import { anthropicStreamFromHub } from "../lib/formats/anthropic/stream_from_hub.ts";

const SOURCES = Array.from({ length: 10 }, (_, index) => ({
  url: `https://example.org/page/${index + 1}`,
  title: `Result ${index + 1}`,
  snippet:
    "An excerpt of the page the model read, long enough to be cut to the 150 characters Anthropic allows. "
      .repeat(3),
}));

function answerDeltas(): string[] {
  let text = "";
  for (let sentence = 0; text.length < 40_000; sentence++) {
    text += `Sentence ${sentence} says something about the subject at some length`;
    text += sentence % 3 === 2 ? ` [${(sentence % 10) + 1}]. ` : ". ";
  }
  return text.match(/[\s\S]{1,20}/g)!;
}

const DELTAS = answerDeltas();

/** Both paths end in the client's SSE writer, which is part of what every delta costs anyway. */
function passThrough(): number {
  const writer = anthropicStreamFromHub();
  let bytes = 0;
  for (const text of DELTAS) {
    const event: HubEvent = { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } };
    bytes += writer.write([event]).length;
  }
  return bytes;
}

function cited(style: CitationStyle): number {
  const writer = anthropicStreamFromHub();
  let next = 0;
  const text = new CitedText(style, SOURCES, () => next++);
  let bytes = writer.write(text.start()).length;
  for (const delta of DELTAS) bytes += writer.write(text.delta(delta)).length;
  return bytes + writer.write(text.stop()).length;
}

Deno.bench("answer text passed through (before)", { baseline: true }, () => {
  passThrough();
});
Deno.bench("answer text with citations, Anthropic style", () => {
  cited("anthropic");
});
Deno.bench("answer text with citations, OpenAI style", () => {
  cited("openai");
});
