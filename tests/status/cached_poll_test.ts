import assert from "node:assert/strict";
import { cachedPoll } from "../../lib/status/cached_poll.ts";

Deno.test("cachedPoll loads once per interval, shares a load in flight, and refreshes after it", async () => {
  let clock = 0;
  let loads = 0;
  const poll = cachedPoll(() => Promise.resolve(++loads), () => 60_000, () => clock);
  assert.deepEqual(await Promise.all([poll.get(), poll.get(), poll.get()]), [1, 1, 1]);
  clock = 59_999;
  assert.equal(await poll.get(), 1);
  clock = 60_000;
  assert.equal(await poll.get(), 2);
  assert.equal(loads, 2);
});

Deno.test("cachedPoll.within shows the previous value while a slow refresh goes on", async () => {
  let clock = 0;
  const gate = Promise.withResolvers<void>();
  let loads = 0;
  const poll = cachedPoll(
    async () => {
      loads++;
      if (loads === 2) await gate.promise;
      return loads;
    },
    () => 1_000,
    () => clock,
  );
  assert.equal(await poll.within(1_000), 1);
  clock = 5_000;
  assert.equal(await poll.within(10), 1, "the stale value, not a hang");
  gate.resolve();
  assert.equal(await poll.get(), 2);
  const fresh = cachedPoll(() => new Promise<number>(() => {}), () => 1_000);
  assert.equal(await fresh.within(10), undefined, "nothing yet on a first slow load");
});
