/**
 * The translated path as a `StreamFilter`: each upstream read is decoded as SSE, fed to the upstream format's
 * StreamToHub (which writes hub events through the builder), and the builder's events are rendered by the
 * client's StreamFromHub, all in the same synchronous step. Never throws: a translator that chokes on an
 * event ends the message with an `api_error`, like every other fault.
 */
import type { ErrorKind } from "../errors/gateway_error.ts";
import type { HubEvent } from "./schema.ts";
import type { StreamFromHub, StreamToHub } from "./wire_format.ts";
import type { HubStreamBuilder } from "./stream_builder.ts";
import { SseDecoder, type SseEvent } from "../sse/sse_decoder.ts";
import { scrubErrorEvents } from "../sse/scrub_error_events.ts";
import type { StreamFilter } from "../stream/pump_stream.ts";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export interface HubFilterOptions {
  builder: HubStreamBuilder;
  /** Created with `builder`. */
  toHub: StreamToHub;
  /** The client's framing, or `collectingWriter` for a non-stream call. */
  writer: StreamFromHub;
  /** Sees every hub event before it is written (the request log's usage and error). */
  observe?: (event: HubEvent) => void;
  /** The exchange's keys: scrubbed out of upstream error events before the translator sees them. */
  secrets?: readonly string[];
}

export function hubStreamFilter(
  { builder, toHub, writer, observe, secrets }: HubFilterOptions,
): StreamFilter {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  const sink = builder.sink;
  const malformed = (error: unknown) =>
    builder.fail("api_error", `Malformed upstream event: ${(error as Error)?.message ?? error}`);
  const translate = () => {
    if (secrets) scrubErrorEvents(events, secrets);
    for (const event of events) {
      if (builder.finished) break;
      try {
        toHub.push(event);
      } catch (error) {
        malformed(error);
      }
    }
    events.length = 0;
  };
  const render = (): Uint8Array | undefined => {
    if (sink.length === 0) return undefined;
    if (observe) { for (const event of sink) observe(event); }
    let text: string;
    try {
      text = writer.write(sink);
    } finally {
      sink.length = 0;
    }
    return text.length > 0 ? encoder.encode(text) : undefined;
  };
  return {
    get finished() {
      return builder.finished;
    },
    // The decoder copies an unfinished event's bytes; complete events become strings within the push.
    copiesInput: true,
    push(chunk) {
      decoder.push(chunk, events);
      translate();
      return render();
    },
    end() {
      decoder.end(events);
      translate();
      try {
        // Before builder.end(): a translator holding its finish for a trailing frame completes it here.
        toHub.end?.();
      } catch (error) {
        malformed(error);
      }
      builder.end();
      return render();
    },
    fail(kind: ErrorKind, message: string) {
      builder.fail(kind, message);
      return render() ?? EMPTY;
    },
    ping: () => encoder.encode(writer.ping()),
  };
}

/** A writer that keeps the hub events instead of rendering them: a non-stream call's answer is built from them. */
export function collectingWriter(events: HubEvent[]): StreamFromHub {
  return {
    write(batch) {
      for (const event of batch) events.push(event);
      return "";
    },
    ping: () => "",
  };
}
