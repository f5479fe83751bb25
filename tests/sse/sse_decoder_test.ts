import assert from "node:assert/strict";
import { SseDecoder, type SseEvent } from "../../lib/sse/sse_decoder.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decodeInChunks(text: string, size: number): SseEvent[] {
  const bytes = encoder.encode(text);
  const sse = new SseDecoder();
  const out: SseEvent[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    sse.push(bytes.slice(offset, offset + size), out);
  }
  sse.end(out);
  return out;
}

Deno.test("SseDecoder keeps multi-byte characters intact when reads cut through them", () => {
  const text = 'data: {"t":"héllo 世界 🎉"}\n\nevent: x\ndata: 二\n\n';
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const events = decodeInChunks(text, size);
    assert.deepEqual(events.map((event) => [event.event, event.data]), [
      ["message", '{"t":"héllo 世界 🎉"}'],
      ["x", "二"],
    ], `chunk size ${size}`);
  }
});

Deno.test("SseDecoder handles CRLF, comments, multi-line data and a missing final blank line", () => {
  const events = decodeInChunks(
    ": keepalive\r\n\r\nevent: a\r\ndata: one\r\ndata: two\r\n\r\ndata:no-space",
    4,
  );
  assert.deepEqual(events.map((event) => [event.event, event.data]), [["a", "one\ntwo"], [
    "message",
    "no-space",
  ]]);
});

Deno.test("SseDecoder gives each event's raw bytes for pass-through", () => {
  const text = 'event: ping\ndata: {}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
  const events = decodeInChunks(text, 3);
  assert.equal(events.map((event) => decoder.decode(event.raw)).join(""), text);
});

Deno.test("SseDecoder emits many events from one read in order", () => {
  const text = Array.from({ length: 100 }, (_, index) => `data: ${index}\n\n`).join("");
  const sse = new SseDecoder();
  const out: SseEvent[] = [];
  sse.push(encoder.encode(text), out);
  assert.equal(out.length, 100);
  assert.equal(out[99].data, "99");
});

Deno.test("SseDecoder ignores events without data", () => {
  assert.deepEqual(decodeInChunks("event: lonely\n\n: only a comment\n\n", 2), []);
});
