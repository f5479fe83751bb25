/**
 * The fast path when client and upstream both speak Anthropic: upstream SSE bytes go to the client as they
 * came, one enqueue per upstream read, with no per-event JSON work. State comes from event names alone.
 * Only `message_start` (to show the model name the client asked for) and `error` events are re-encoded;
 * OpenCode's trailing `ping` with `cost` and anything after `message_stop` are dropped; a cut stream, an idle
 * upstream or a broken connection end with a proper `event: error`.
 */
import { SseDecoder, type SseEvent } from "../../sse/sse_decoder.ts";
import type { RelayPassthroughOptions } from "../wire_format.ts";
import { anthropicErrorToHub } from "./error_to_hub.ts";

const encoder = new TextEncoder();
const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

interface PassthroughState {
  model: string;
  /** `message_stop` or an error was sent: everything after it is dropped. */
  finished: boolean;
  sawContent: boolean;
}

function errorFrame(kind: string, message: string): Uint8Array {
  return encoder.encode(
    `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: kind, message } })}\n\n`,
  );
}

/** Shows the client's own model name, as Anthropic does and as the translated path does. */
function messageStartFrame(event: SseEvent, model: string): Uint8Array {
  try {
    const json = JSON.parse(event.data) as { message?: { model?: unknown } };
    if (!json.message || json.message.model === model) return event.raw;
    json.message.model = model;
    return encoder.encode(`event: message_start\ndata: ${JSON.stringify(json)}\n\n`);
  } catch {
    return event.raw; // a cosmetic rewrite never turns into a failure
  }
}

/** The bytes to forward for one event, or undefined to drop it. */
function forwardEvent(event: SseEvent, state: PassthroughState): Uint8Array | undefined {
  switch (event.event) {
    case "message_start":
      return messageStartFrame(event, state.model);
    case "content_block_start":
      state.sawContent = true;
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
 * Concatenates the frames of one read. Frames that are still adjacent in the upstream's buffer (the common
 * case: nothing dropped or rewritten) are joined as one view without copying.
 */
function joinFrames(frames: Uint8Array[]): Uint8Array | undefined {
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
  if (runs.length === 1) return runs[0];
  const out = new Uint8Array(runs.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of runs) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
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
  events.push({ ...last, raw: encoder.encode(`event: ${last.event}\n${data}\n`) });
}

/** One stream's filter: upstream reads in, client bytes out (undefined when a read yields nothing to send). */
export interface AnthropicPassthroughFilter {
  /** `message_stop` or an error went out: the stream is over. */
  readonly finished: boolean;
  push(chunk: Uint8Array): Uint8Array | undefined;
  /** The upstream closed: a final unterminated event, then the cut-stream error unless the message finished. */
  end(): Uint8Array | undefined;
  /** A fault outside the stream's own events (idle upstream, broken connection) as the terminal frame. */
  fail(kind: string, message: string): Uint8Array;
}

export function createAnthropicPassthroughFilter(model: string): AnthropicPassthroughFilter {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  const frames: Uint8Array[] = [];
  const state: PassthroughState = { model, finished: false, sawContent: false };
  const forward = (): Uint8Array | undefined => {
    for (const event of events) {
      if (state.finished) break;
      const frame = forwardEvent(event, state);
      if (frame) frames.push(frame);
    }
    events.length = 0;
    const out = joinFrames(frames);
    frames.length = 0;
    return out;
  };
  return {
    get finished() {
      return state.finished;
    },
    push(chunk) {
      decoder.push(chunk, events);
      return forward();
    },
    end() {
      endEvents(decoder, events);
      if (!state.finished) {
        // Forwarded events first, then the error: decided before forward() can set `finished`.
        const last = forward();
        if (state.finished) return last;
        state.finished = true;
        const error = errorFrame(
          "api_error",
          state.sawContent ? "Upstream stream ended before completion" : "Upstream returned an empty stream",
        );
        return last ? joinFrames([last, error]) : error;
      }
      return undefined;
    },
    fail(kind, message) {
      state.finished = true;
      return errorFrame(kind, message);
    },
  };
}

/**
 * The client's response body, pulled one upstream read at a time (the relay's backpressure and abort wiring:
 * cancelling the body aborts the upstream fetch at once, even while a read is pending). Timing differs from
 * `streamBatches` on purpose: one watchdog timer per stream pings while a read has been pending for
 * `pingIntervalMs` and ends it after `idleTimeoutMs`, instead of two timers per read, which measured as
 * the largest per-read cost of this path (see bench/anthropic_passthrough_bench.ts).
 */
export function anthropicPassthroughStream(
  body: ReadableStream<Uint8Array>,
  options: RelayPassthroughOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const filter = createAnthropicPassthroughFilter(options.model);
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let idle = false;
  /** When the pending upstream read started (undefined while none is pending), and the last ping after it. */
  let readSince: number | undefined;
  let quietSince = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const watchdog = () => {
    timer = undefined;
    if (closed) return;
    const now = performance.now();
    if (readSince !== undefined && now - readSince >= options.idleTimeoutMs) {
      idle = true;
      reader.cancel().catch(() => {}); // settles the pending read as done
      return;
    }
    if (readSince !== undefined && now - quietSince >= options.pingIntervalMs) {
      controller.enqueue(encoder.encode(PING));
      quietSince = now;
    }
    const idleAt = (readSince ?? now) + options.idleTimeoutMs;
    const pingAt = (readSince === undefined ? now : quietSince) + options.pingIntervalMs;
    timer = setTimeout(watchdog, Math.max(1, Math.min(idleAt, pingAt) - now));
  };
  const close = (last?: Uint8Array) => {
    if (closed) return;
    if (last) controller.enqueue(last);
    closed = true;
    clearTimeout(timer);
    controller.close();
    reader.cancel().catch(() => {});
  };

  return new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      timer = setTimeout(watchdog, Math.min(options.pingIntervalMs, options.idleTimeoutMs));
    },
    async pull() {
      // A pull must enqueue or close: the stream does not call it again for a read that produced nothing.
      while (!closed) {
        readSince = quietSince = performance.now();
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          close(filter.fail("api_error", `Upstream connection lost: ${(error as Error).message}`));
          return;
        } finally {
          readSince = undefined;
        }
        if (closed) return;
        if (idle) {
          close(filter.fail("timeout_error", `Upstream sent nothing for ${options.idleTimeoutMs} ms`));
          return;
        }
        if (result.done) {
          close(filter.end());
          return;
        }
        const out = filter.push(result.value);
        if (filter.finished) close(out);
        else if (out) {
          controller.enqueue(out);
          return;
        }
      }
    },
    cancel() {
      closed = true;
      clearTimeout(timer);
      options.abort.abort();
      reader.cancel().catch(() => {});
    },
  }, { highWaterMark: 0 });
}
