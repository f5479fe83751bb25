/**
 * Emits a grammatical Anthropic event sequence from simple calls, so every upstream translator gets
 * `message_start` first, one open block at a time with increasing indices, and exactly one terminal event.
 */
import type { ErrorKind } from "../errors/gateway_error.ts";
import type { HubEvent, StopReason, Usage } from "../formats/anthropic/schema.ts";

type StartedBlock = Extract<HubEvent, { type: "content_block_start" }>["content_block"];
type OpenBlock = { kind: "none" } | { kind: "text" | "thinking" | "tool_use"; index: number };

export interface StreamIdentity {
  /** `msg_…` id shown to the client. */
  messageId: string;
  /** Model name the client asked for (echoed back, as Anthropic does). */
  model: string;
}

export class HubStreamBuilder {
  readonly sink: HubEvent[];
  #identity: StreamIdentity;
  #started = false;
  #finished = false;
  #open: OpenBlock = { kind: "none" };
  #nextIndex = 0;
  #sawToolUse = false;
  #sawContent = false;

  constructor(identity: StreamIdentity, sink: HubEvent[] = []) {
    this.#identity = identity;
    this.sink = sink;
  }

  get started(): boolean {
    return this.#started;
  }
  /** True after finish() or fail(): later upstream frames (OpenCode's cost chunk) are to be ignored. */
  get finished(): boolean {
    return this.#finished;
  }
  get sawToolUse(): boolean {
    return this.#sawToolUse;
  }
  get sawContent(): boolean {
    return this.#sawContent;
  }
  /** Index of the open tool_use block, if the open block is one. */
  get openToolIndex(): number | undefined {
    return this.#open.kind === "tool_use" ? this.#open.index : undefined;
  }

  start(usage: Partial<Usage> = {}): void {
    if (this.#started || this.#finished) return;
    this.#started = true;
    this.sink.push({
      type: "message_start",
      message: {
        id: this.#identity.messageId,
        type: "message",
        role: "assistant",
        model: this.#identity.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0, ...usage },
      },
    });
  }

  text(text: string): void {
    if (text.length === 0 || this.#finished) return;
    if (this.#open.kind !== "text") this.#openBlock("text", { type: "text", text: "" });
    this.sink.push({
      type: "content_block_delta",
      index: this.#currentIndex(),
      delta: { type: "text_delta", text },
    });
  }

  thinking(thinking: string): void {
    if (thinking.length === 0 || this.#finished) return;
    if (this.#open.kind !== "thinking") {
      this.#openBlock("thinking", { type: "thinking", thinking: "", signature: "" });
    }
    this.sink.push({
      type: "content_block_delta",
      index: this.#currentIndex(),
      delta: { type: "thinking_delta", thinking },
    });
  }

  /** Signature for the open thinking block (opening an empty one if none is open), then closes it. */
  signature(signature: string): void {
    if (this.#finished) return;
    if (this.#open.kind !== "thinking") {
      this.#openBlock("thinking", { type: "thinking", thinking: "", signature: "" });
    }
    this.sink.push({
      type: "content_block_delta",
      index: this.#currentIndex(),
      delta: { type: "signature_delta", signature },
    });
    this.closeBlock();
  }

  redactedThinking(data: string): void {
    if (this.#finished) return;
    this.#openBlock("thinking", { type: "redacted_thinking", data });
    this.closeBlock();
  }

  /** Opens a tool_use block and returns its index; arguments follow through toolArguments(). */
  toolStart(id: string, name: string): number {
    this.#sawToolUse = true;
    this.#openBlock("tool_use", { type: "tool_use", id, name, input: {} });
    return this.#currentIndex();
  }

  /**
   * Argument fragment for a tool block. Fragments for a block that is no longer open (an upstream that
   * interleaves parallel calls) are still delivered by index, so no argument text is ever lost.
   */
  toolArguments(index: number, partialJson: string): void {
    if (partialJson.length === 0 || this.#finished) return;
    this.sink.push({
      type: "content_block_delta",
      index,
      delta: { type: "input_json_delta", partial_json: partialJson },
    });
  }

  closeBlock(): void {
    if (this.#open.kind === "none") return;
    this.sink.push({ type: "content_block_stop", index: this.#open.index });
    this.#open = { kind: "none" };
  }

  finish(stopReason: StopReason, usage: Partial<Usage> = {}, stopSequence: string | null = null): void {
    if (this.#finished) return;
    this.start();
    this.closeBlock();
    this.#finished = true;
    this.sink.push({
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: stopSequence },
      usage: { output_tokens: 0, ...usage },
    });
    this.sink.push({ type: "message_stop" });
  }

  /** Terminal error event; an open block is left as is, as Anthropic's own stream does. */
  fail(kind: ErrorKind, message: string): void {
    if (this.#finished) return;
    this.#finished = true;
    this.sink.push({ type: "error", error: { type: kind, message } });
  }

  /** The upstream closed: anything but a finished message is an error, never a silent end_turn. */
  end(): void {
    if (this.#finished) return;
    this.fail(
      "api_error",
      this.#sawContent ? "Upstream stream ended before completion" : "Upstream returned an empty stream",
    );
  }

  #openBlock(kind: "text" | "thinking" | "tool_use", block: StartedBlock): void {
    this.start();
    this.closeBlock();
    this.#sawContent = true;
    const index = this.#nextIndex++;
    this.#open = { kind, index };
    this.sink.push({ type: "content_block_start", index, content_block: block });
  }

  #currentIndex(): number {
    return this.#open.kind === "none" ? this.#nextIndex - 1 : this.#open.index;
  }
}
