import * as assert from "node:assert/strict";
import { totalTimeout, whenBodyEnds } from "../../lib/upstream/total_timeout.ts";

Deno.test("totalTimeout aborts with a TimeoutError, and clear() stops it", async () => {
  const fired = totalTimeout(5);
  // The timer is unref'd (it never keeps a process alive), so something else must here.
  const keepAlive = setTimeout(() => {}, 1_000);
  await new Promise((resolve) => fired.signal.addEventListener("abort", resolve));
  clearTimeout(keepAlive);
  assert.equal((fired.signal.reason as DOMException).name, "TimeoutError");
  const cleared = totalTimeout(5);
  cleared.clear();
  await new Promise((resolve) => setTimeout(resolve, 15));
  assert.ok(!cleared.signal.aborted);
});

Deno.test("whenBodyEnds passes the body through and calls onEnd once, at the end or on cancel", async () => {
  let ends = 0;
  const done = whenBodyEnds(ReadableStream.from([new Uint8Array([1]), new Uint8Array([2])]), () => ends++);
  assert.deepEqual(await new Response(done).bytes(), new Uint8Array([1, 2]));
  assert.equal(ends, 1);
  let sourceCancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array([0])),
    cancel: () => {
      sourceCancelled = true;
    },
  });
  const cancelled = whenBodyEnds(endless, () => ends++);
  const reader = cancelled.getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(ends, 2);
  assert.ok(sourceCancelled, "the cancel reaches the source");
});
