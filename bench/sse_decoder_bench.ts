/**
 * The SSE decoder on one large event arriving in many reads (a 16 MiB event in 16 KiB reads, the shape that
 * made the old decoder quadratic: it re-joined the unfinished event on every read), and on ordinary small
 * events for comparison.
 */
import { SseDecoder, type SseEvent } from "../lib/sse/sse_decoder.ts";

const encoder = new TextEncoder();
const piece = encoder.encode("x".repeat(16 * 1024));
const head = encoder.encode("data: ");
const tail = encoder.encode("\n\n");

function oneLargeEvent(reads: number): number {
  const decoder = new SseDecoder();
  const out: SseEvent[] = [];
  decoder.push(head, out);
  for (let index = 0; index < reads; index++) decoder.push(piece, out);
  decoder.push(tail, out);
  return out.length;
}

Deno.bench("SseDecoder: one 4 MiB event in 16 KiB reads", { group: "large event" }, () => {
  oneLargeEvent(256);
});

Deno.bench("SseDecoder: one 16 MiB event in 16 KiB reads", { group: "large event", baseline: true }, () => {
  oneLargeEvent(1024);
});

const small = encoder.encode(
  Array.from({ length: 200 }, (_, index) => `event: delta\ndata: {"i":${index},"t":"hello"}\n\n`).join(""),
);

Deno.bench("SseDecoder: 200 small events in one read", { group: "small events" }, () => {
  new SseDecoder().push(small, []);
});
