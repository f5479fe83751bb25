/**
 * An upstream's mid-stream error event may echo the request's key (issue 11): its text is scrubbed before a
 * translator or a pass-through sees it. Only events that name an error are looked into; every other event
 * keeps its own bytes, so the hot path pays one substring search.
 */
import type { SseEvent } from "./sse_decoder.ts";
import { scrubUpstreamText } from "../upstream/upstream_fault.ts";

const encoder = new TextEncoder();

/** Rewrites, in place, each error event whose text holds one of `secrets` (or a key-shaped string). */
export function scrubErrorEvents(events: SseEvent[], secrets: readonly string[]): void {
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    // `"error"` in raw JSON is a key or a value (`"type":"error"`), never text: a string's quotes are escaped.
    if (event.event !== "error" && !event.data.includes('"error"')) continue;
    const data = scrubUpstreamText(event.data, secrets);
    if (data === event.data) continue;
    const name = event.event !== "message" ? `event: ${event.event}\n` : "";
    const lines = data.split("\n").map((line) => `data: ${line}\n`).join("");
    events[index] = { event: event.event, data, raw: encoder.encode(`${name}${lines}\n`) };
  }
}
