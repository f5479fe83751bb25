/** Notes usage and a terminal error from what flows to the client, and when it ends, for the log line. */
import type { HubEvent } from "../formats/anthropic/schema.ts";
import { whenBodyEnds } from "../upstream/total_timeout.ts";
import type { RequestRecord } from "./request_record.ts";

/**
 * Passes `batches` through unchanged. `record.streamDone` settles when the batches end, or when `signal`
 * aborts (a client that leaves before the first read never starts the generator, so `finally` would not run).
 */
export function observeBatches(
  batches: AsyncGenerator<HubEvent[]>,
  record: RequestRecord | undefined,
  signal: AbortSignal,
): AsyncGenerator<HubEvent[]> {
  if (!record) return batches;
  const done = trackEnd(record, signal);
  return (async function* () {
    try {
      for await (const batch of batches) {
        for (const event of batch) noteEvent(record, event);
        yield batch;
      }
    } finally {
      done();
    }
  })();
}

/**
 * The same for a body relayed byte for byte (pass-through): only its end is observed, not its usage.
 * `onEnd` runs too when the body ends (the relay clears its total timeout there).
 */
export function observeBody(
  body: ReadableStream<Uint8Array>,
  record: RequestRecord | undefined,
  signal: AbortSignal,
  onEnd?: () => void,
): ReadableStream<Uint8Array> {
  if (!record && !onEnd) return body;
  const done = record ? trackEnd(record, signal) : undefined;
  return whenBodyEnds(body, () => {
    done?.();
    onEnd?.();
  });
}

export function noteEvent(record: RequestRecord, event: HubEvent): void {
  if (event.type === "message_start") record.usage = { ...event.message.usage };
  else if (event.type === "message_delta") record.usage = { ...record.usage, ...event.usage };
  else if (event.type === "error") record.error = { type: event.error.type, message: event.error.message };
}

/** Sets `record.streamDone` and returns the (idempotent) function that settles it. */
function trackEnd(record: RequestRecord, signal: AbortSignal): () => void {
  let settle!: () => void;
  record.streamDone = new Promise<void>((resolve) => settle = resolve);
  const done = () => {
    signal.removeEventListener("abort", onAbort);
    settle();
  };
  const onAbort = () => {
    const reason = signal.reason;
    if (!(reason instanceof DOMException && reason.name === "TimeoutError")) record.clientClosed = true;
    done();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  return done;
}
