/**
 * pumpStream's `tail`: the client's body ends at the terminal frame as before, while the upstream is read on
 * (for OpenCode's trailing cost frame) until it closes, or for at most `tailMs` when it never does.
 */
import assert from "node:assert/strict";
import type { StreamFilter } from "../../lib/stream/pump_stream.ts";
import { pumpStream } from "../../lib/stream/pump_stream.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Passes reads through; "END" in a read is the terminal frame. */
function passFilter(): StreamFilter {
  let finished = false;
  return {
    get finished() {
      return finished;
    },
    push(chunk) {
      if (decoder.decode(chunk).includes("END")) finished = true;
      return chunk;
    },
    end: () => undefined,
    fail: () => new Uint8Array(0),
    ping: () => new Uint8Array(0),
  };
}

Deno.test("pumpStream tail: reads after the terminal frame go to tail, not to the client", async () => {
  const reads = ["a", "END", "cost-frame"];
  const upstream = ReadableStream.from(reads.map((text) => encoder.encode(text)));
  const tailed: string[] = [];
  const ended = Promise.withResolvers<void>();
  const body = pumpStream(upstream, passFilter(), {
    idleTimeoutMs: 60_000,
    pingIntervalMs: 60_000,
    abort: new AbortController(),
    tail: (chunk) => tailed.push(decoder.decode(chunk)),
    onEnd: ended.resolve,
  });
  const client = await new Response(body).text();
  assert.equal(client, "aEND");
  await ended.promise;
  assert.deepEqual(tailed, ["END", "cost-frame"], "from the terminal read on");
});

Deno.test("pumpStream tail: an upstream that closes before the filter finished shows tail its last two reads", async () => {
  const upstream = ReadableStream.from(["a", "b", "c", "cost-frame"].map((text) => encoder.encode(text)));
  const tailed: string[] = [];
  const body = pumpStream(upstream, passFilter(), {
    idleTimeoutMs: 60_000,
    pingIntervalMs: 60_000,
    abort: new AbortController(),
    tail: (chunk) => tailed.push(decoder.decode(chunk)),
  });
  assert.equal(await new Response(body).text(), "abccost-frame");
  assert.deepEqual(tailed, ["c", "cost-frame"]);
});

Deno.test("pumpStream tail: an upstream that stays open after the terminal frame is cut after tailMs", async () => {
  let cancelled = false;
  const upstream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("END"));
    },
    cancel() {
      cancelled = true;
    },
  });
  const ended = Promise.withResolvers<void>();
  const body = pumpStream(upstream, passFilter(), {
    idleTimeoutMs: 60_000,
    pingIntervalMs: 60_000,
    abort: new AbortController(),
    tail: () => {},
    tailMs: 50,
    onEnd: ended.resolve,
  });
  assert.equal(await new Response(body).text(), "END", "the client is not kept waiting");
  await ended.promise;
  assert.ok(cancelled, "the upstream read was cancelled");
});
