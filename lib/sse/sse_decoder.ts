/** Incremental SSE parser that works on bytes, so multi-byte characters split across reads stay intact. */
import { concatBytes } from "../stream/concat_bytes.ts";

export interface SseEvent {
  /** The `event:` field, or "message" when absent. */
  event: string;
  /** `data:` lines joined with "\n". */
  data: string;
  /** The event's bytes as received (including its blank-line terminator), for pass-through relays. */
  raw: Uint8Array;
}

const LF = 10;
const CR = 13;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

/**
 * Feed it every upstream read; each call appends the events completed by that read to `out`.
 * Only complete events are decoded as text, so a UTF-8 sequence cut between two reads is never mangled.
 */
export class SseDecoder {
  #rest: Uint8Array = EMPTY;
  #scanned = 0;

  push(chunk: Uint8Array, out: SseEvent[]): void {
    const buffer = this.#rest.length === 0 ? chunk : concatBytes([this.#rest, chunk]);
    let eventStart = 0;
    let position = this.#scanned;
    while (true) {
      const newline = buffer.indexOf(LF, position);
      if (newline === -1) break;
      const lineLength = newline - position - (newline > position && buffer[newline - 1] === CR ? 1 : 0);
      if (lineLength === 0) {
        if (position > eventStart) {
          const event = parseEvent(
            buffer.subarray(eventStart, position),
            buffer.subarray(eventStart, newline + 1),
          );
          if (event) out.push(event);
        }
        eventStart = newline + 1;
      }
      position = newline + 1;
    }
    this.#rest = eventStart === buffer.length ? EMPTY : buffer.slice(eventStart);
    this.#scanned = position - eventStart;
  }

  /** Emit a final event that the upstream did not terminate with a blank line. */
  end(out: SseEvent[]): void {
    if (this.#rest.length > 0) {
      const event = parseEvent(this.#rest, this.#rest);
      if (event) out.push(event);
    }
    this.#rest = EMPTY;
    this.#scanned = 0;
  }
}

function parseEvent(body: Uint8Array, raw: Uint8Array): SseEvent | undefined {
  const text = decoder.decode(body);
  let event = "message";
  let data: string | undefined;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.charCodeAt(lineEnd - 1) === CR
      ? text.slice(lineStart, lineEnd - 1)
      : text.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;
    if (line.length === 0 || line.charCodeAt(0) === 58 /* ":" comment */) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") data = data === undefined ? value : `${data}\n${value}`;
    else if (field === "event") event = value;
  }
  return data === undefined ? undefined : { event, data, raw };
}
