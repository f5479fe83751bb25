/**
 * Upstream bodies read with a BYOB reader into one reused buffer (lib/stream/chunk_reader.ts): whatever a
 * filter or a consumer keeps must never change under it when the next read reuses that buffer.
 */
import assert from "node:assert/strict";
import { chunkReader } from "../../lib/stream/chunk_reader.ts";
import { pumpStream, readWholeBody, type StreamFilter } from "../../lib/stream/pump_stream.ts";
import { RecentReads } from "../../lib/stream/recent_reads.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A real fetch body (a byte stream): `pieces` written one at a time by a server on 127.0.0.1. */
async function withFetchBody(pieces: string[], run: (body: ReadableStream<Uint8Array>) => Promise<void>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let index = 0;
    return new Response(
      new ReadableStream({
        async pull(controller) {
          // A pause between writes, so each piece is its own read.
          await new Promise((resolve) => setTimeout(resolve, 2));
          if (index < pieces.length) controller.enqueue(encoder.encode(pieces[index++]));
          else controller.close();
        },
      }),
    );
  });
  try {
    const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    await run(response.body!);
  } finally {
    await server.shutdown();
  }
}

/** Passes each read on as it came (a view of it); `END` in a read finishes the stream. */
function passFilter(kept: Uint8Array[], copiesInput = false): StreamFilter {
  let finished = false;
  return {
    get finished() {
      return finished;
    },
    copiesInput,
    push(chunk) {
      kept.push(copiesInput ? chunk.slice() : chunk);
      if (decoder.decode(chunk).includes("END")) finished = true;
      return copiesInput ? chunk.slice() : chunk.subarray(0);
    },
    end: () => undefined,
    fail: () => new Uint8Array(0),
    ping: () => new Uint8Array(0),
  };
}

const timing = { idleTimeoutMs: 60_000, pingIntervalMs: 60_000 };
const pieces = Array.from({ length: 40 }, (_, index) => `event ${index} ${"é".repeat(index)};`);

Deno.test("chunkReader lends views of one buffer for a fetch body and hands out a JS stream's own chunks", async () => {
  await withFetchBody(pieces, async (body) => {
    const reader = chunkReader(body);
    assert.equal(reader.lends, true);
    let text = "";
    const buffers = new Set<ArrayBufferLike>();
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      text += decoder.decode(result.value, { stream: true });
      buffers.add(result.value.buffer);
    }
    assert.equal(text, pieces.join(""));
    assert.ok(buffers.size > 1, "each read's view has its own (transferred) ArrayBuffer object");
    assert.deepEqual(await reader.read(), { done: true, value: undefined }, "a read after the end is done");
  });
  const own = chunkReader(ReadableStream.from([encoder.encode("a")]));
  assert.equal(own.lends, false);
  assert.equal(decoder.decode((await own.read()).value), "a");
});

Deno.test("pumpStream over a fetch body: the client and the filter keep every read intact", async () => {
  for (const copiesInput of [false, true]) {
    await withFetchBody([...pieces, "END", "cost"], async (body) => {
      const kept: Uint8Array[] = [];
      const tailed: string[] = [];
      const ended = Promise.withResolvers<void>();
      const client = pumpStream(body, passFilter(kept, copiesInput), {
        ...timing,
        abort: new AbortController(),
        tail: (chunk) => tailed.push(decoder.decode(chunk)),
        onEnd: ended.resolve,
      });
      // Response.text() holds every chunk until the end: a reused buffer under it would garble the text.
      assert.equal(await new Response(client).text(), [...pieces, "END"].join(""));
      assert.equal(kept.map((chunk) => decoder.decode(chunk)).join(""), [...pieces, "END"].join(""));
      await ended.promise;
      assert.deepEqual(tailed, ["END", "cost"], `copiesInput ${copiesInput}`);
    });
  }
});

Deno.test("pumpStream over a fetch body that closes unfinished: tail gets the last two reads intact", async () => {
  for (const copiesInput of [false, true]) {
    await withFetchBody(["a", "b", "c", "cost-frame"], async (body) => {
      const tailed: string[] = [];
      const ended = Promise.withResolvers<void>();
      const client = pumpStream(body, passFilter([], copiesInput), {
        ...timing,
        abort: new AbortController(),
        tail: (chunk) => tailed.push(decoder.decode(chunk)),
        onEnd: ended.resolve,
      });
      assert.equal(await new Response(client).text(), "abccost-frame");
      await ended.promise;
      assert.deepEqual(tailed, ["c", "cost-frame"], `copiesInput ${copiesInput}`);
    });
  }
});

Deno.test("readWholeBody over a fetch body returns every byte", async () => {
  await withFetchBody(pieces, async (body) => {
    const bytes = await readWholeBody(body, { ...timing, abort: new AbortController() });
    assert.equal(decoder.decode(bytes), pieces.join(""));
  });
});

Deno.test("RecentReads keeps the last two reads, lent ones copied into its own two buffers", () => {
  const reads = new RecentReads();
  const lent = new Uint8Array(8);
  for (const text of ["one", "two", "three"]) {
    lent.set(encoder.encode(text.padEnd(8, ".")));
    reads.note(lent.subarray(0, 8), true);
  }
  reads.note(encoder.encode("own"), false);
  lent.fill(0);
  assert.deepEqual(reads.take().map((chunk) => decoder.decode(chunk)), ["three...", "own"]);
  assert.deepEqual(reads.take(), [], "taking empties it");
});
