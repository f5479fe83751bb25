/**
 * Joins the hub events of several upstream rounds into the one Anthropic message the client sees: the first
 * round's `message_start`, every round's text, thinking and client tool calls re-indexed into one sequence,
 * each emulated call shown as a `server_tool_use` block followed by its result block, and one closing
 * `message_delta` whose usage sums every round and counts the searches and fetches.
 */
import type { HubEvent, ResponseBlock, StopReason, Usage } from "../hub/schema.ts";
import type { StreamFromHub } from "../hub/wire_format.ts";
import { type CitationStyle, CitedText, type NumberedSource } from "./cited_text.ts";

export interface HeldCall {
  /** The upstream's own call id (replayed to it in the next round). */
  upstreamId: string;
  name: "web_search" | "web_fetch";
  arguments: string;
}

export class RoundComposer {
  #client: StreamFromHub;
  #webNames: Set<string>;
  #nextIndex = 0;
  #started = false;
  #terminated = false;
  /** This round: upstream block index → client index (undefined for a held web call). */
  #indices = new Map<number, number>();
  #held = new Map<number, HeldCall>();
  /** This round: upstream text block index → its text as the client sees it (markers made citations). */
  #texts = new Map<number, CitedText>();
  #citations?: { style: CitationStyle; sources: readonly NumberedSource[] };
  #roundEvents: HubEvent[] = [];
  #roundStop: StopReason | null = null;
  #clientToolUse = false;
  #usage = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  #roundUsage: Partial<Usage> = {};

  constructor(
    client: StreamFromHub,
    webNames: Iterable<string>,
    citations?: { style: CitationStyle; sources: readonly NumberedSource[] },
  ) {
    this.#client = client;
    this.#webNames = new Set(webNames);
    this.#citations = citations;
  }

  /** A terminal error went to the client: the message is over. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /** The StreamFromHub a round's hub filter writes into. */
  roundWriter(): StreamFromHub {
    this.#indices.clear();
    this.#held.clear();
    this.#texts.clear();
    this.#roundEvents = [];
    this.#roundStop = null;
    this.#clientToolUse = false;
    this.#roundUsage = {};
    return { write: (events) => this.#client.write(this.#map(events)), ping: () => this.#client.ping() };
  }

  /** What the round ended with: its events (for the next round's history), stop reason and held web calls. */
  roundResult(): { events: HubEvent[]; stop: StopReason | null; calls: HeldCall[]; clientToolUse: boolean } {
    this.#addUsage(this.#roundUsage);
    return {
      events: this.#roundEvents,
      stop: this.#roundStop,
      calls: [...this.#held.values()],
      clientToolUse: this.#clientToolUse,
    };
  }

  /** A complete server_tool_use block, sent before the tool runs (the pause and pings come after it). */
  toolUse(id: string, call: HeldCall, input: unknown): string {
    const index = this.#nextIndex++;
    return this.#client.write([
      {
        type: "content_block_start",
        index,
        content_block: { type: "server_tool_use", id, name: call.name, input: {} },
      },
      {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(input) },
      },
      { type: "content_block_stop", index },
    ]);
  }

  /** The tool's result block: complete in its content_block_start, as Anthropic sends it. */
  toolResult(result: ResponseBlock): string {
    const index = this.#nextIndex++;
    return this.#client.write([
      { type: "content_block_start", index, content_block: result },
      { type: "content_block_stop", index },
    ]);
  }

  finish(stop: StopReason, serverToolUse: NonNullable<Usage["server_tool_use"]>): string {
    const usage: Partial<Usage> = { ...this.#usage, server_tool_use: serverToolUse };
    if (!usage.cache_read_input_tokens) delete usage.cache_read_input_tokens;
    if (!usage.cache_creation_input_tokens) delete usage.cache_creation_input_tokens;
    this.#terminated = true;
    return this.#client.write([
      { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage },
      { type: "message_stop" },
    ]);
  }

  /** Every finished round's usage, summed (the request log's figure). */
  usage(): Partial<Usage> {
    return { ...this.#usage };
  }

  fail(type: string, message: string): string {
    if (this.#terminated) return "";
    this.#terminated = true;
    return this.#client.write([{ type: "error", error: { type, message } }]);
  }

  ping(): string {
    return this.#client.ping();
  }

  #addUsage(usage: Partial<Usage>): void {
    this.#usage.input_tokens += usage.input_tokens ?? 0;
    this.#usage.output_tokens += usage.output_tokens ?? 0;
    this.#usage.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
    this.#usage.cache_creation_input_tokens += usage.cache_creation_input_tokens ?? 0;
  }

  #map(events: readonly HubEvent[]): HubEvent[] {
    const out: HubEvent[] = [];
    for (const event of events) {
      this.#roundEvents.push(event);
      switch (event.type) {
        case "message_start":
          // Usage is cumulative within a round: the round's last report wins, rounds are summed.
          this.#roundUsage = { ...event.message.usage };
          if (!this.#started) {
            this.#started = true;
            out.push({ ...event, message: { ...event.message, usage: { ...event.message.usage } } });
          }
          break;
        case "content_block_start": {
          const block = event.content_block;
          if (block.type === "tool_use" && this.#webNames.has(block.name)) {
            this.#held.set(event.index, {
              upstreamId: block.id,
              name: block.name as HeldCall["name"],
              arguments: "",
            });
            break;
          }
          if (block.type === "tool_use") this.#clientToolUse = true;
          if (block.type === "text" && this.#citations) {
            const { style, sources } = this.#citations;
            const text = new CitedText(style, sources, () => this.#nextIndex++);
            this.#texts.set(event.index, text);
            out.push(...text.start());
            break;
          }
          const index = this.#nextIndex++;
          this.#indices.set(event.index, index);
          out.push({ ...event, index });
          break;
        }
        case "content_block_delta": {
          const held = this.#held.get(event.index);
          if (held) {
            if (event.delta.type === "input_json_delta") held.arguments += event.delta.partial_json;
            break;
          }
          const text = this.#texts.get(event.index);
          if (text) {
            if (event.delta.type === "text_delta") out.push(...text.delta(event.delta.text));
            break;
          }
          const index = this.#indices.get(event.index);
          if (index !== undefined) out.push({ ...event, index });
          break;
        }
        case "content_block_stop": {
          const text = this.#texts.get(event.index);
          if (text) {
            out.push(...text.stop());
            break;
          }
          const index = this.#indices.get(event.index);
          if (index !== undefined) out.push({ ...event, index });
          break;
        }
        case "message_delta":
          this.#roundStop = event.delta.stop_reason;
          this.#roundUsage = { ...this.#roundUsage, ...event.usage };
          break;
        case "message_stop":
          break;
        case "error":
          this.#terminated = true;
          out.push(event);
          break;
        case "ping":
          out.push(event);
          break;
      }
    }
    return out;
  }
}
