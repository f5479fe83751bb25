/**
 * The fast path when client and upstream both speak Anthropic: upstream SSE bytes go to the client as they
 * came, one enqueue per upstream read, with no per-event JSON work. State comes from event names alone (the
 * data's leading `"type"` for an upstream that sends data-only frames, which are given their `event:` line).
 * Only `message_start` (to show the model name the client asked for), `error` events and the few events that
 * carry a thinking signature or redacted_thinking data (wrapped in the gateway's envelope naming their origin,
 * thinking_signature.ts) are re-encoded. Those are found by substring checks before any parsing, and deltas
 * are only looked into while a thinking block is open: text and tool deltas cost one size check;
 * OpenCode's trailing `ping` with `cost` and anything after `message_stop` are dropped; a cut stream, an idle
 * upstream or a broken connection end with a proper `event: error`. Usage for the request log is read from
 * `message_start` (parsed anyway for the model name) and the one `message_delta`, never from the deltas.
 */
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamFilter } from "../../stream/pump_stream.ts";
import { sseEventFilter } from "../../sse/sse_event_filter.ts";
import { StartedBlocks } from "../../stream/started_blocks.ts";
import { anthropicUsageToHub } from "./convert_usage.ts";
import { anthropicErrorToHub } from "./error_to_hub.ts";
import type { Usage } from "../../hub/schema.ts";
import { anthropicEventType } from "./sse_event_type.ts";
import { wrapAnthropicSignature } from "./thinking_signature.ts";

const encoder = new TextEncoder();
const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

interface PassthroughState {
  model: string;
  /** The upstream's signature origin (anthropicSignatureOrigin). */
  origin: string;
  /** Indices of the open thinking blocks: only their deltas can be a `signature_delta`. */
  thinking: Set<number>;
  /** `message_stop` or an error was sent: everything after it is dropped. */
  finished: boolean;
  sawContent: boolean;
  /** The request log's usage, merged patch by patch, as the translated path notes it from hub events. */
  onUsage?: (usage: Partial<Usage>) => void;
  /** Block indices and tool ids seen: a repeated one is a malformed event the client must not get. */
  blocks: StartedBlocks;
}

/**
 * The error frame ending the stream when a block start reuses an index or a tool id (one small parse per
 * block, not per delta); undefined when the start is fine or unreadable (unreadable starts go as they came).
 */
function malformedBlockStart(event: SseEvent, state: PassthroughState): Uint8Array | undefined {
  let json: { index?: unknown; content_block?: { type?: unknown; id?: unknown } };
  try {
    json = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  const block = json?.content_block;
  try {
    state.blocks.claim(
      json?.index as number,
      block?.type === "tool_use" && typeof block.id === "string" ? block.id : undefined,
    );
    return undefined;
  } catch (error) {
    state.finished = true;
    return errorFrame("api_error", `Malformed upstream event: ${(error as Error).message}`);
  }
}

function errorFrame(kind: string, message: string): Uint8Array {
  return encoder.encode(
    `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: kind, message } })}\n\n`,
  );
}

/** Shows the client's own model name, as Anthropic does and as the translated path does. */
function messageStartFrame(event: SseEvent, state: PassthroughState): Uint8Array {
  const model = state.model;
  try {
    const json = JSON.parse(event.data) as { message?: { model?: unknown; usage?: unknown } };
    // The hub's message_start always has both counts (the builder fills in zeros).
    state.onUsage?.({ input_tokens: 0, output_tokens: 0, ...anthropicUsageToHub(json.message?.usage) });
    if (!json.message || json.message.model === model) return event.raw;
    json.message.model = model;
    return encoder.encode(`event: message_start\ndata: ${JSON.stringify(json)}\n\n`);
  } catch {
    return event.raw; // a cosmetic rewrite never turns into a failure
  }
}

type SignedBlock = { type?: unknown; signature?: unknown; data?: unknown };

/** The block's signature (thinking) or data (redacted_thinking) wrapped for the client; false if it has none. */
function wrapBlock(block: SignedBlock | undefined, origin: string): boolean {
  if (block?.type === "thinking" && typeof block.signature === "string" && block.signature !== "") {
    block.signature = wrapAnthropicSignature(block.signature, origin);
    return true;
  }
  if (block?.type === "redacted_thinking" && typeof block.data === "string" && block.data !== "") {
    block.data = wrapAnthropicSignature(block.data, origin);
    return true;
  }
  return false;
}

/**
 * A `content_block_start` of a thinking block that already carries its signature, or of a redacted_thinking
 * block, re-encoded with the value wrapped; any other start goes as the upstream's bytes. Text and tool starts
 * are told by a substring check; a thinking block's index is noted, so that its deltas are looked into.
 */
function blockStartFrame(event: SseEvent, state: PassthroughState): Uint8Array {
  // Matches `"thinking"` and `"redacted_thinking"`.
  if (!event.data.includes('thinking"')) return event.raw;
  try {
    const json = JSON.parse(event.data) as { index?: unknown; content_block?: SignedBlock };
    if (json.content_block?.type === "thinking" && typeof json.index === "number") {
      state.thinking.add(json.index);
    }
    if (!wrapBlock(json.content_block, state.origin)) return event.raw;
    return encoder.encode(`event: content_block_start\ndata: ${JSON.stringify(json)}\n\n`);
  } catch {
    return event.raw; // malformed: forwarded as it came (a raw signature never goes back upstream anyway)
  }
}

/** A `signature_delta` re-encoded with the signature wrapped; every other delta is left as it came. */
function blockDeltaFrame(event: SseEvent, state: PassthroughState): Uint8Array {
  if (state.thinking.size === 0 || !event.data.includes('"signature_delta"')) return event.raw;
  try {
    const json = JSON.parse(event.data) as { delta?: { type?: unknown; signature?: unknown } };
    const delta = json.delta;
    if (delta?.type !== "signature_delta" || typeof delta.signature !== "string" || delta.signature === "") {
      return event.raw;
    }
    delta.signature = wrapAnthropicSignature(delta.signature, state.origin);
    return encoder.encode(`event: content_block_delta\ndata: ${JSON.stringify(json)}\n\n`);
  } catch {
    return event.raw;
  }
}

/** Forgets a thinking block at its stop (a small frame, only parsed while a thinking block is open). */
function noteBlockStop(data: string, state: PassthroughState): void {
  if (state.thinking.size === 0) return;
  try {
    state.thinking.delete((JSON.parse(data) as { index?: number }).index!);
  } catch {
    // An unreadable stop leaves the block noted: its later deltas are still looked into, which is safe.
  }
}

/** `message_delta.usage` (final output count, sometimes input and cache counts too) as a patch. */
function noteDeltaUsage(data: string, onUsage: (usage: Partial<Usage>) => void): void {
  if (!data.includes('"usage"')) return;
  try {
    const usage = anthropicUsageToHub((JSON.parse(data) as { usage?: unknown }).usage);
    if (Object.keys(usage).length > 0) onUsage(usage);
  } catch {
    // Usage is for the log; a malformed frame is still forwarded as it came.
  }
}

/** The bytes to forward for one event, or undefined to drop it. */
function forwardEvent(event: SseEvent, state: PassthroughState): Uint8Array | undefined {
  // Data-only frames (no `event:` line) are named by their `"type"`; named ones are never looked into.
  const type = anthropicEventType(event);
  const bytes = eventBytes(event, type, state);
  // Anthropic's SDK skips a frame without an `event:` line, so a data-only frame the gateway recognised gets
  // one; frames that came named (every real Anthropic stream) go as the upstream's own buffer.
  return bytes === event.raw && type !== event.event && STREAM_EVENTS.has(type) ? named(type, bytes) : bytes;
}

const STREAM_EVENTS = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "ping",
]);

function named(type: string, raw: Uint8Array): Uint8Array {
  const line = encoder.encode(`event: ${type}\n`);
  const bytes = new Uint8Array(line.length + raw.length);
  bytes.set(line);
  bytes.set(raw, line.length);
  return bytes;
}

function eventBytes(event: SseEvent, type: string, state: PassthroughState): Uint8Array | undefined {
  switch (type) {
    case "message_start":
      return messageStartFrame(event, state);
    case "content_block_start":
      state.sawContent = true;
      return malformedBlockStart(event, state) ?? blockStartFrame(event, state);
    case "content_block_delta":
      return blockDeltaFrame(event, state);
    case "content_block_stop":
      noteBlockStop(event.data, state);
      return event.raw;
    case "message_delta":
      if (state.onUsage) noteDeltaUsage(event.data, state.onUsage);
      return event.raw;
    case "message_stop":
      state.finished = true;
      return event.raw;
    case "ping":
      // OpenCode appends `{"type":"ping","cost":"…"}` after the stream; it is billing data, not protocol.
      return event.data.includes('"cost"') ? undefined : event.raw;
    case "error": {
      state.finished = true;
      const error = anthropicErrorToHub(event.data);
      return errorFrame(error.kind, error.message);
    }
    default:
      return event.raw;
  }
}

/**
 * One stream's filter for `pumpStream`: the upstream's bytes minus the cost ping and what follows `message_stop`,
 * thinking signatures wrapped for `origin`; a cut stream ends with an error event. `onUsage` gets usage patches.
 */
export function anthropicPassthroughFilter(
  model: string,
  origin: string,
  onUsage?: (usage: Partial<Usage>) => void,
  secrets?: readonly string[],
): StreamFilter {
  const state: PassthroughState = {
    model,
    origin,
    thinking: new Set(),
    finished: false,
    sawContent: false,
    onUsage,
    blocks: new StartedBlocks(),
  };
  return sseEventFilter({
    forward: (event) => forwardEvent(event, state),
    get finished() {
      return state.finished;
    },
    fail(kind, message) {
      state.finished = true;
      return errorFrame(kind, message);
    },
    cutMessage: () =>
      state.sawContent ? "Upstream stream ended before completion" : "Upstream returned an empty stream",
    ping: () => encoder.encode(PING),
    secrets,
  });
}
