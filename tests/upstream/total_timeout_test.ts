import * as assert from "node:assert/strict";
import { totalTimeout } from "../../lib/upstream/total_timeout.ts";

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
