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

/** The decoder's own ceiling for one event; the configured limit (UPSTREAM_EVENT_LIMIT_BYTES) is lower. */
export const SSE_EVENT_HARD_LIMIT_BYTES = 256 * 1024 * 1024;

/** One unfinished event outgrew the limit: the upstream is broken or hostile. */
export class SseEventTooLarge extends Error {
  override name = "SseEventTooLarge";
  constructor(readonly limitBytes: number) {
    super(`Upstream sent one SSE event (or line) larger than ${limitBytes} bytes`);
  }
}

/**
 * Feed it every upstream read; each call appends the events completed by that read to `out`.
 * Only complete events are decoded as text, so a UTF-8 sequence cut between two reads is never mangled.
 * Linear: each read is scanned once, and the unfinished event is kept as a list of pieces, joined once when
 * its blank line arrives (re-joining it on every read was quadratic in the event's size).
 */
export class SseDecoder {
  /** The unfinished event's bytes from earlier reads. */
  #parts: Uint8Array[] = [];
  #size = 0;
  /** Bytes of the unfinished line so far, and whether its last byte was a CR. */
  #lineLength = 0;
  #lineEndsCr = false;
  readonly #maxEventBytes: number;

  constructor(options: { maxEventBytes?: number } = {}) {
    this.#maxEventBytes = options.maxEventBytes ?? SSE_EVENT_HARD_LIMIT_BYTES;
  }

  /** Throws SseEventTooLarge when the unfinished event outgrows the limit. */
  push(chunk: Uint8Array, out: SseEvent[]): void {
    let eventStart = 0;
    let position = 0;
    while (true) {
      const newline = chunk.indexOf(LF, position);
      if (newline === -1) break;
      const segment = newline - position;
      const endsCr = segment > 0 ? chunk[newline - 1] === CR : this.#lineEndsCr;
      const lineLength = this.#lineLength + segment;
      this.#lineLength = 0;
      this.#lineEndsCr = false;
      position = newline + 1;
      if (lineLength - (endsCr ? 1 : 0) !== 0) continue;
      // A blank line: whatever came before it since the last one is an event.
      const raw = this.#take(chunk.subarray(eventStart, position));
      const bodyLength = raw.length - lineLength - 1;
      if (bodyLength > 0) {
        const event = parseEvent(raw.subarray(0, bodyLength), raw);
        if (event) out.push(event);
      }
      eventStart = position;
    }
    const tail = chunk.length - eventStart;
    if (tail > 0) {
      // Copied, so a small tail does not keep the whole read's buffer alive.
      this.#parts.push(chunk.slice(eventStart));
      this.#size += tail;
      this.#lineLength += chunk.length - position;
      if (chunk.length > position) this.#lineEndsCr = chunk[chunk.length - 1] === CR;
    }
    if (this.#size > this.#maxEventBytes) {
      this.#reset();
      throw new SseEventTooLarge(this.#maxEventBytes);
    }
  }

  /** Emit a final event that the upstream did not terminate with a blank line. */
  end(out: SseEvent[]): void {
    if (this.#size > 0) {
      const rest = this.#take(EMPTY);
      const event = parseEvent(rest, rest);
      if (event) out.push(event);
    }
    this.#reset();
  }

  /** The unfinished event's earlier pieces followed by `last`, as one array (a view when nothing was kept). */
  #take(last: Uint8Array): Uint8Array {
    if (this.#parts.length === 0) return last;
    this.#parts.push(last);
    const joined = concatBytes(this.#parts);
    this.#reset();
    return joined;
  }

  #reset(): void {
    this.#parts = [];
    this.#size = 0;
    this.#lineLength = 0;
    this.#lineEndsCr = false;
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
