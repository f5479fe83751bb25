/**
 * Checks the fetch cache's size estimate against V8's heap: fills a cache with the default 8 MiB budget with
 * ~20,000-character pages, once ASCII (V8 stores one byte a character) and once CJK (two bytes), and prints
 * the estimate beside the heap growth. Run: `deno run --v8-flags=--expose-gc scripts/fetch_cache_memory.ts`.
 */
import { FetchCache, stringBytes } from "../lib/web/fetch_cache.ts";

const gc = (globalThis as unknown as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
const held: FetchCache[] = [];
for (const [label, char] of [["ASCII", "a"], ["CJK (two bytes a character)", "\u4e00"]] as const) {
  gc();
  const before = Deno.memoryUsage().heapUsed;
  const cache = new FetchCache({ maxBytes: 8 * 1024 * 1024, ttlMs: 60_000 });
  for (let i = 0; i < 2000; i++) {
    // split/join makes a flat string of its own, as a decoded page is.
    const text = `${i} ${char.repeat(20_000)}`.split("").join("");
    const page = { url: `https://example.com/${i}`, title: `Page ${i}`, text, retrievedAt: "" };
    cache.set(`page direct ${page.url}`, { page, hops: [page.url] }, stringBytes(text, page.title));
  }
  gc();
  const grown = Deno.memoryUsage().heapUsed - before;
  held.push(cache);
  console.log(
    `${label}: ${cache.size} pages, estimated ${(cache.bytes / 2 ** 20).toFixed(2)} MiB, heap grew ${
      (grown / 2 ** 20).toFixed(2)
    } MiB`,
  );
}
