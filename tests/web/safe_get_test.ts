/** The capped body reader of the gateway's own fetcher: the cap holds, and a cut is always noticed. */
import assert from "node:assert/strict";
import { readCapped } from "../../lib/web/safe_get.ts";

function chunked(...sizes: number[]): Response {
  let next = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next === sizes.length) return controller.close();
        controller.enqueue(new Uint8Array(sizes[next++]).fill(65 + next));
      },
    }),
  );
}

Deno.test("readCapped: a body that ends on a chunk boundary at the cap is cut when more follows", async () => {
  // Found through robots.txt: a 512 KiB cap met 64 KiB chunks exactly and the cut went unnoticed.
  const exact = await readCapped(chunked(4, 4), 4);
  assert.deepEqual([exact.bytes.length, exact.truncated], [4, true]);
  const whole = await readCapped(chunked(4), 4);
  assert.deepEqual([whole.bytes.length, whole.truncated], [4, false]);
  const mid = await readCapped(chunked(3, 3), 4);
  assert.deepEqual([mid.bytes.length, mid.truncated], [4, true]);
  assert.deepEqual([...mid.bytes], [66, 66, 66, 67]);
  const empty = await readCapped(new Response(null), 4);
  assert.deepEqual([empty.bytes.length, empty.truncated], [0, false]);
});
