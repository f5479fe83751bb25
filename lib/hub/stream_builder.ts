/**
 * Emits a grammatical Anthropic event sequence from simple calls, so every upstream translator gets
 * `message_start` first, one open block at a time with increasing indices, and exactly one terminal event.
 *
 * Parallel tool calls: Anthropic clients finalise a tool_use block at its `content_block_stop` and ignore any
 * later delta for it (Claude Code then ran only one of two calls whose fragments an upstream interleaved).
 * So a tool block stays open while its arguments are still incomplete JSON, and whatever would interrupt it
 * (another call, text, thinking) is queued and replayed in arrival order once the open call's JSON is
 * complete, or at the end of the message. Upstreams that stream calls one after another never queue.
 */
import type { ErrorKind } from "../errors/gateway_error.ts";
import type { Citation, HubEvent, StopReason, Usage } from "./schema.ts";

type StartedBlock = Extract<HubEvent, { type: "content_block_start" }>["content_block"];
type BlockDelta = Extract<HubEvent, { type: "content_block_delta" }>["delta"];
type OpenBlock = { kind: "none" } | { kind: "text" | "thinking" | "tool_use"; index: number };

interface ToolCall {
  type: "tool_use" | "server_tool_use";
  id: string;
  name: string;
  /** Every argument fragment received, sent or not. */
  arguments: string;
  /** How much of `arguments` has gone out. */
  sent: number;
  /** Hub block index once the call's block was opened. */
  block?: number;
}

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
  #calls: ToolCall[] = [];
  /** The call whose block is open, while it is. */
  #liveCall: ToolCall | undefined;
  /** Operations held back while the live call's arguments are incomplete; replayed in order. */
  #queue: (() => void)[] = [];
  #replaying = false;

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
    if (text.length > 0) this.#delta("text", () => this.text(text), { type: "text_delta", text });
  }

  thinking(thinking: string): void {
    if (thinking.length > 0) {
      this.#delta("thinking", () => this.thinking(thinking), { type: "thinking_delta", thinking });
    }
  }

  /** A citation of the open text block (Claude's own web search answer), sent before its text as Anthropic does. */
  citation(citation: Citation): void {
    this.#delta("text", () => this.citation(citation), { type: "citations_delta", citation });
  }

  /** False when not sent now: after the end, or held back behind an incomplete tool call (`again` replays it). */
  #delta(kind: "text" | "thinking", again: () => void, delta: BlockDelta): boolean {
    if (this.#finished || this.#held(again)) return false;
    if (this.#open.kind !== kind) {
      this.#openBlock(
        kind,
        kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" },
      );
    }
    this.sink.push({ type: "content_block_delta", index: this.#currentIndex(), delta });
    return true;
  }

  /** Signature for the open thinking block (opening an empty one if none is open), then closes it. */
  signature(signature: string): void {
    if (this.#delta("thinking", () => this.signature(signature), { type: "signature_delta", signature })) {
      this.closeBlock();
    }
  }

  readonly redactedThinking = (data: string): void => this.wholeBlock({ type: "redacted_thinking", data });
  /** A block that arrives complete (redacted thinking, an upstream's own web_search_tool_result). */
  wholeBlock(block: StartedBlock): void {
    if (this.#finished || this.#held(() => this.wholeBlock(block))) return;
    this.#openBlock("thinking", block);
    this.closeBlock();
  }

  /** Starts a tool call and returns its handle for toolArguments(); its block may open later (see above). */
  toolStart(id: string, name: string, type: ToolCall["type"] = "tool_use"): number {
    this.#sawToolUse ||= type === "tool_use";
    const call: ToolCall = { type, id, name, arguments: "", sent: 0 };
    this.#calls.push(call);
    if (!this.#finished && !this.#held(() => this.#openCall(call))) this.#openCall(call);
    return this.#calls.length - 1;
  }

  /** An argument fragment for the call `handle`; held with its call until that call's block is open. */
  toolArguments(handle: number, partialJson: string): void {
    const call = this.#calls[handle];
    if (partialJson.length === 0 || this.#finished || call === undefined) return;
    call.arguments += partialJson;
    if (call !== this.#liveCall) return;
    this.#sendArguments(call);
    if (this.#queue.length > 0) this.#drain(false);
  }

  closeBlock(): void {
    if (this.#open.kind === "none") return;
    this.sink.push({ type: "content_block_stop", index: this.#open.index });
    this.#open = { kind: "none" };
    this.#liveCall = undefined;
  }

  finish(stopReason: StopReason, usage: Partial<Usage> = {}, stopSequence: string | null = null): void {
    if (this.#finished) return;
    this.#drain(true);
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

  /** Terminal error event, after what was held back; an open block is left as is, as Anthropic's stream does. */
  fail(kind: ErrorKind, message: string): void {
    if (this.#finished) return;
    this.#drain(true);
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

  /** Queues `operation` when the live call must not be interrupted yet; true when it was queued. */
  #held(operation: () => void): boolean {
    if (this.#replaying || (this.#queue.length === 0 && !this.#liveCallIncomplete())) return false;
    this.#queue.push(operation);
    return true;
  }

  /** Replays queued operations while the live call allows it (`force`: at the end, regardless). */
  #drain(force: boolean): void {
    this.#replaying = true;
    try {
      while (this.#queue.length > 0 && (force || !this.#liveCallIncomplete())) this.#queue.shift()!();
    } finally {
      this.#replaying = false;
    }
  }

  #liveCallIncomplete(): boolean {
    const call = this.#liveCall;
    if (call === undefined) return false;
    // Cheap test first: complete JSON arguments (an object) end with "}".
    const text = call.arguments.trimEnd();
    if (!text.endsWith("}")) return true;
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }

  #openCall(call: ToolCall): void {
    this.#openBlock("tool_use", { type: call.type, id: call.id, name: call.name, input: {} });
    call.block = this.#currentIndex();
    this.#liveCall = call;
    this.#sendArguments(call);
  }

  #sendArguments(call: ToolCall): void {
    if (call.sent === call.arguments.length || call.block === undefined) return;
    this.sink.push({
      type: "content_block_delta",
      index: call.block,
      delta: { type: "input_json_delta", partial_json: call.arguments.slice(call.sent) },
    });
    call.sent = call.arguments.length;
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
