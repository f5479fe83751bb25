/** Notes usage and a terminal error from what flows to the client, and when it ends, for the log line. */
import type { HubEvent, Usage } from "../hub/schema.ts";
import { costTail, parseCost } from "./cost_frame.ts";
import type { RequestRecord } from "./request_record.ts";

export function noteEvent(record: RequestRecord, event: HubEvent): void {
  if (event.type === "message_start") record.usage = { ...event.message.usage };
  else if (event.type === "message_delta") record.usage = { ...record.usage, ...event.usage };
  else if (event.type === "error") record.error = { type: event.error.type, message: event.error.message };
}

/** Usage a pass-through read from the upstream's own events or answer, already in hub terms: merged. */
export function noteUsage(record: RequestRecord, usage: Partial<Usage>): void {
  record.usage = { ...record.usage, ...usage };
}

/**
 * Sets `record.streamDone` and returns the (idempotent) function that settles it: call it when the body
 * ends. It also settles when `signal` aborts, since a client that leaves before the first read may never
 * make the body end.
 */
export function trackStreamEnd(record: RequestRecord, signal: AbortSignal): () => void {
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

/** For `pumpStream`'s `tail`: notes OpenCode's cost frame when a read ends with one. */
export function noteCostFrames(record: RequestRecord): (chunk: Uint8Array) => void {
  const tail = costTail();
  return (chunk) => {
    const cost = tail(chunk);
    if (cost !== undefined) record.costUsd = cost;
  };
}

/** A non-stream answer's `cost` field. */
export function noteCost(record: RequestRecord, value: unknown): void {
  const cost = parseCost(value);
  if (cost !== undefined) record.costUsd = cost;
}
