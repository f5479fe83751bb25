/**
 * The event-level half of every pass-through: upstream reads are decoded into SSE events, each event is kept
 * (its own bytes), dropped or rewritten by the format's rules, and the frames of one read leave as one chunk,
 * joined without copying while they are still adjacent in the upstream's buffer.
 */
import type { ErrorKind } from "../errors/gateway_error.ts";
import { SseDecoder, type SseEvent } from "./sse_decoder.ts";
import { scrubErrorEvents } from "./scrub_error_events.ts";
import type { StreamFilter } from "../stream/pump_stream.ts";
import { concatBytes } from "../stream/concat_bytes.ts";

const encoder = new TextEncoder();

/** What one pass-through format decides. */
export interface SseEventRules {
  /** The bytes to forward for one event (`event.raw` to keep it as it came), or undefined to drop it. */
  forward(event: SseEvent): Uint8Array | undefined;
  /** The terminal event (or an error) went out: everything after it is dropped. */
  readonly finished: boolean;
  /** The terminal frame for a fault, or for an upstream that closed early; `finished` is true after it. */
  fail(kind: ErrorKind, message: string): Uint8Array;
  /** Why an upstream that closed before its terminal event failed ("ended before completion"…). */
  cutMessage(): string;
  ping(): Uint8Array;
  /** The exchange's keys: scrubbed out of upstream error events before `forward` sees them. */
  readonly secrets?: readonly string[];
}

export function sseEventFilter(rules: SseEventRules): StreamFilter {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  const frames: Uint8Array[] = [];
  const forward = (): Uint8Array | undefined => {
    for (const event of events) {
      if (rules.finished) break;
      const frame = rules.forward(event);
      if (frame) frames.push(frame);
    }
    events.length = 0;
    const out = joinFrames(frames);
    frames.length = 0;
    return out;
  };
  return {
    get finished() {
      return rules.finished;
    },
    push(chunk) {
      decoder.push(chunk, events);
      if (rules.secrets) scrubErrorEvents(events, rules.secrets);
      return forward();
    },
    end() {
      if (rules.finished) return undefined;
      endEvents(decoder, events);
      if (rules.secrets) scrubErrorEvents(events, rules.secrets);
      const last = forward();
      if (rules.finished) return last;
      const error = rules.fail("api_error", rules.cutMessage());
      return last ? joinFrames([last, error]) : error;
    },
    fail: (kind, message) => rules.fail(kind, message),
    ping: () => rules.ping(),
  };
}

/**
 * Concatenates the frames of one read. Frames that are still adjacent in the upstream's buffer (the common
 * case: nothing dropped or rewritten) are joined as one view without copying.
 */
export function joinFrames(frames: Uint8Array[]): Uint8Array | undefined {
  if (frames.length <= 1) return frames[0];
  const runs: Uint8Array[] = [];
  let run = frames[0];
  for (let index = 1; index < frames.length; index++) {
    const frame = frames[index];
    if (frame.buffer === run.buffer && frame.byteOffset === run.byteOffset + run.byteLength) {
      run = new Uint8Array(run.buffer, run.byteOffset, run.byteLength + frame.byteLength);
    } else {
      runs.push(run);
      run = frame;
    }
  }
  runs.push(run);
  return concatBytes(runs);
}

/**
 * The event the upstream left without its blank line when it closed. A complete one (a final `message_stop`
 * with a missing terminator) is framed properly; a cut one is dropped, as SSE itself discards it, so the
 * client never gets half an event glued to the error that follows.
 */
function endEvents(decoder: SseDecoder, events: SseEvent[]): void {
  decoder.end(events);
  const last = events.pop();
  if (!last) return;
  try {
    JSON.parse(last.data);
  } catch {
    return;
  }
  const data = last.data.split("\n").map((line) => `data: ${line}\n`).join("");
  const name = last.event === "message" ? "" : `event: ${last.event}\n`;
  events.push({ ...last, raw: encoder.encode(`${name}${data}\n`) });
}
