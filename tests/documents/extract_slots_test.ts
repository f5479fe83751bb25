/** The cap on PDF workers running at once (lib/documents/extract_slots.ts). */
import assert from "node:assert/strict";
import { ExtractSlots } from "../../lib/documents/extract_slots.ts";

Deno.test("ExtractSlots lets N run at once, then grants in arrival order as slots are released", async () => {
  const slots = new ExtractSlots(2);
  const order: string[] = [];
  const first = await slots.acquire();
  const second = await slots.acquire();
  const third = slots.acquire().then((release) => (order.push("third"), release));
  const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
  await Promise.resolve();
  assert.deepEqual(order, []);
  first();
  first(); // a second release of the same slot frees nothing more
  (await third)();
  second();
  (await fourth)();
  assert.deepEqual(order, ["third", "fourth"]);
  // Everything released: two slots are free again.
  (await slots.acquire())();
  const a = await slots.acquire();
  const b = await slots.acquire();
  a();
  b();
});

Deno.test("ExtractSlots: an abandoned waiter leaves the queue and the slot goes to the next one", async () => {
  const slots = new ExtractSlots(1);
  const held = await slots.acquire();
  const abort = new AbortController();
  const gone = slots.acquire(abort.signal);
  const next = slots.acquire();
  abort.abort(new Error("client went away"));
  await assert.rejects(gone, /client went away/);
  held();
  (await next)();
  // The abandoned waiter took nothing with it: the one slot is free again.
  (await slots.acquire())();
});
