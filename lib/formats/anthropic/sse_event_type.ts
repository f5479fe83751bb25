/**
 * The Anthropic event type of an SSE event. Anthropic names every event twice (`event: content_block_delta`
 * and `"type":"content_block_delta"` in the data); some Anthropic-format upstreams send data-only frames, which
 * the decoder reports as "message". The `event:` name is used when there is one (no look at the data, the
 * pass-through's fast path); otherwise the data's leading `"type"` field, read without parsing the JSON.
 */
import type { SseEvent } from "../../sse/sse_decoder.ts";

const LEADING_TYPE = /^\s*\{\s*"type"\s*:\s*"([^"\\]+)"/;

/** @example anthropicEventType({ event: "message", data: '{"type":"message_stop"}' }) === "message_stop" */
export function anthropicEventType(event: Pick<SseEvent, "event" | "data">): string {
  if (event.event !== "message") return event.event;
  return LEADING_TYPE.exec(event.data)?.[1] ?? event.event;
}
