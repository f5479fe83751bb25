/**
 * One text block of the model's answer as the client sees it, with the `[n]` markers it wrote turned into
 * citations of the numbered search results (run_web_tool.ts numbers them across the request):
 * - Anthropic clients get what Anthropic sends: the text split into blocks, the cited span (the sentence
 *   before the marker) in a block of its own carrying `web_search_result_location` citations as
 *   `citations_delta` events after its text, the marker itself removed. Once a result exists, the sentence
 *   being written is held until it ends (or a marker shows it is cited), so the stream lags by a sentence.
 * - OpenAI clients keep one block; each marker becomes a markdown link `([host](url))`, as OpenAI's own search
 *   answers read, and a `url_citation` whose indices cover that link (the writers make them annotations).
 * Text that cites nothing, or a number no result has, passes through unchanged.
 */
import type { Citation, HubEvent } from "../hub/schema.ts";
import { type MarkerPiece, MarkerScanner } from "./citation_markers.ts";
import { encodeCitation } from "./web_envelope.ts";

export type CitationStyle = "anthropic" | "openai";

export interface NumberedSource {
  url: string;
  title: string;
  snippet: string;
}

/** Anthropic's cap on `cited_text`. */
const MAX_CITED = 150;
/** A sentence held longer than this is sent on uncited (a model that writes no full stops still streams). */
const MAX_SENTENCE = 400;
/** A sentence end followed by more text. */
const SENTENCE_END = /(?:[.!?]["')\]]*[ \t]+|\n+)(?=\S)/g;

export class CitedText {
  #style: CitationStyle;
  #sources: readonly NumberedSource[];
  #allocate: () => number;
  #scanner: MarkerScanner;
  #index: number;
  /** The current block's text, in UTF-16 units as the indices count. */
  #text = "";
  #cited = new Set<number>();
  /** Anthropic style: the unfinished sentence, held until it ends or a marker cites it. */
  #sentence = "";

  /** `sources` is the request's live list; `allocate` hands out the next client block index. */
  constructor(style: CitationStyle, sources: readonly NumberedSource[], allocate: () => number) {
    this.#style = style;
    this.#sources = sources;
    this.#allocate = allocate;
    this.#scanner = new MarkerScanner((source) => source >= 1 && source <= sources.length);
    this.#index = allocate();
  }

  start(): HubEvent[] {
    return [this.#open()];
  }

  delta(text: string): HubEvent[] {
    return this.#pieces(this.#scanner.feed(text));
  }

  stop(): HubEvent[] {
    const out = this.#pieces(this.#scanner.end());
    out.push(...this.#emit(this.#sentence));
    this.#sentence = "";
    return [...out, { type: "content_block_stop", index: this.#index }];
  }

  #open(): HubEvent {
    return { type: "content_block_start", index: this.#index, content_block: { type: "text", text: "" } };
  }

  #pieces(pieces: MarkerPiece[]): HubEvent[] {
    const out: HubEvent[] = [];
    for (const piece of pieces) {
      if ("text" in piece) out.push(...this.#plain(piece.text));
      else if (this.#style === "anthropic") out.push(...this.#anthropicCite(piece.cite));
      else out.push(...this.#openaiCite(piece.cite, piece.space));
    }
    return out;
  }

  #emit(text: string): HubEvent[] {
    if (!text) return [];
    this.#text += text;
    return [{ type: "content_block_delta", index: this.#index, delta: { type: "text_delta", text } }];
  }

  #next(): HubEvent[] {
    const stop: HubEvent = { type: "content_block_stop", index: this.#index };
    this.#index = this.#allocate();
    this.#text = "";
    this.#cited.clear();
    return [stop, this.#open()];
  }

  #plain(text: string): HubEvent[] {
    if (this.#style !== "anthropic" || this.#sources.length === 0) return this.#emit(text);
    // Text after a cited span opens a new block.
    const out = this.#cited.size > 0 && /\S/.test(text) ? this.#next() : [];
    if (this.#cited.size > 0) return [...out, ...this.#emit(text)];
    // The sentence being written waits until it ends: if a marker follows, it is the cited span.
    this.#sentence += text;
    let split = -1;
    for (const match of this.#sentence.matchAll(SENTENCE_END)) split = match.index + match[0].length;
    if (split < 0 && this.#sentence.length > MAX_SENTENCE) split = this.#sentence.length;
    if (split > 0) {
      out.push(...this.#emit(this.#sentence.slice(0, split)));
      this.#sentence = this.#sentence.slice(split);
    }
    return out;
  }

  #anthropicCite(numbers: number[]): HubEvent[] {
    const out: HubEvent[] = [];
    // The cited sentence gets a block of its own, as Anthropic splits its answers.
    if (this.#cited.size === 0 && this.#text !== "" && this.#sentence !== "") out.push(...this.#next());
    out.push(...this.#emit(this.#sentence));
    this.#sentence = "";
    for (const number of numbers) {
      if (this.#cited.has(number)) continue;
      this.#cited.add(number);
      const source = this.#sources[number - 1];
      const citedText = source.snippet.replace(/\s+/g, " ").trim().slice(0, MAX_CITED);
      const citation: Citation = {
        type: "web_search_result_location",
        url: source.url,
        title: source.title,
        encrypted_index: encodeCitation({ url: source.url, title: source.title, citedText }),
        cited_text: citedText,
      };
      out.push({
        type: "content_block_delta",
        index: this.#index,
        delta: { type: "citations_delta", citation },
      });
    }
    return out;
  }

  #openaiCite(numbers: number[], space: string): HubEvent[] {
    const out: HubEvent[] = [...this.#emit(space), ...this.#emit("(")];
    numbers.forEach((number, position) => {
      const source = this.#sources[number - 1];
      if (position > 0) out.push(...this.#emit(", "));
      const start = this.#text.length;
      out.push(...this.#emit(`[${hostOf(source.url)}](${source.url})`));
      const citation: Citation = {
        type: "url_citation",
        url: source.url,
        title: source.title,
        start_index: start,
        end_index: this.#text.length,
      };
      out.push({
        type: "content_block_delta",
        index: this.#index,
        delta: { type: "citations_delta", citation },
      });
    });
    out.push(...this.#emit(")"));
    return out;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}
