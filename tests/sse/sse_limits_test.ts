// The SSE decoder and the per-read budget: linear in what arrives, capped per event, and exact about event
// boundaries wherever a read cuts them.
import assert from "node:assert/strict";
import fc from "fast-check";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { SseDecoder, type SseEvent, SseEventTooLarge } from "../../lib/sse/sse_decoder.ts";
import { readBudget } from "../../lib/stream/read_budget.ts";

const encoder = new TextEncoder();

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.slice(start, point));
    start = Math.max(start, point);
  }
  return chunks;
}

const eventText = fc.record({
  name: fc.option(fc.constantFrom("delta", "ping", "message_stop"), { nil: undefined }),
  lines: fc.array(fc.string({ maxLength: 30 }).map((text) => text.replace(/[\r\n]/g, "")), {
    minLength: 1,
    maxLength: 3,
  }),
  crlf: fc.boolean(),
});

function render(events: { name?: string; lines: string[]; crlf: boolean }[]): string {
  return events.map(({ name, lines, crlf }) => {
    const eol = crlf ? "\r\n" : "\n";
    return (name ? `event: ${name}${eol}` : "") + lines.map((line) => `data: ${line}${eol}`).join("") + eol;
  }).join("");
}

Deno.test("SseDecoder: any split of a stream gives the same events as one read", () => {
  fc.assert(
    fc.property(
      fc.array(eventText, { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (events, cuts) => {
        const bytes = encoder.encode(render(events));
        const whole: SseEvent[] = [];
        new SseDecoder().push(bytes, whole);
        const split: SseEvent[] = [];
        const decoder = new SseDecoder();
        for (const chunk of splitAt(bytes, cuts)) decoder.push(chunk, split);
        decoder.end(split);
        const shape = (list: SseEvent[]) =>
          list.map((event) => [event.event, event.data, new TextDecoder().decode(event.raw)]);
        assert.deepEqual(shape(split), shape(whole));
        assert.equal(whole.length, events.length);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("SseDecoder: an event past maxEventBytes throws, without holding the rest of the stream", () => {
  const decoder = new SseDecoder({ maxEventBytes: 1024 * 1024 });
  const block = encoder.encode("x".repeat(64 * 1024));
  const out: SseEvent[] = [];
  decoder.push(encoder.encode("data: "), out);
  let reads = 0;
  assert.throws(() => {
    // A line that never ends: the decoder gives up at the limit, not at the end of the (endless) input.
    for (; reads < 64; reads++) decoder.push(block, out);
  }, SseEventTooLarge);
  assert.ok(reads <= 16, `gave up after ${reads} reads`);
  // It starts afresh afterwards.
  decoder.push(encoder.encode("data: ok\n\n"), out);
  assert.deepEqual(out.map((event) => event.data), ["ok"]);
});

Deno.test("SseDecoder: a large event split into many reads is joined once, intact", () => {
  const decoder = new SseDecoder();
  const out: SseEvent[] = [];
  const piece = "y".repeat(16 * 1024);
  decoder.push(encoder.encode("data: "), out);
  for (let index = 0; index < 256; index++) decoder.push(encoder.encode(piece), out);
  decoder.push(encoder.encode("\r\n\r\n"), out);
  assert.equal(out.length, 1);
  assert.equal(out[0].data.length, 4 * 1024 * 1024);
  assert.equal(out[0].raw.length, 6 + 4 * 1024 * 1024 + 4);
});

Deno.test("readBudget: small events in any split never pass the limit; one long event always does", () => {
  fc.assert(
    fc.property(
      fc.array(eventText, { minLength: 1, maxLength: 10 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (events, cuts) => {
        const bytes = encoder.encode(render(events));
        const longest = Math.max(
          ...render(events).split(/\r?\n\r?\n/).map((part) => encoder.encode(part).length),
        );
        const take = readBudget({ maxEventBytes: longest + 8 });
        for (const chunk of splitAt(bytes, cuts)) take(chunk);
      },
    ),
    { numRuns: 300 },
  );
  const take = readBudget({ maxEventBytes: 100, label: "OpenCode Go (opencode.ai)" });
  take(encoder.encode("data: ok\n\n"));
  assert.throws(
    () => {
      for (let index = 0; index < 20; index++) take(encoder.encode("data: 0123456789\n"));
    },
    (error) =>
      error instanceof GatewayError && error.status === 502 &&
      /^OpenCode Go \(opencode\.ai\) sent one event \(or line\) larger than the gateway's limit of 100 bytes/
        .test(
          error.message,
        ),
  );
});

Deno.test("readBudget: a blank line cut between reads still ends the event (LF | LF, LF CR | LF, CR LF | CR LF)", () => {
  for (const [first, second] of [["data: a\n", "\n"], ["data: a\n\r", "\n"], ["data: a\r\n", "\r\n"]]) {
    const take = readBudget({ maxEventBytes: first.length + 2 });
    take(encoder.encode(first));
    take(encoder.encode(second));
    // The next event starts from zero: a full-limit event fits, and one byte more is over.
    assert.doesNotThrow(() => take(encoder.encode("x".repeat(first.length + 2))));
    assert.throws(() => take(encoder.encode("x")), /UPSTREAM_EVENT_LIMIT_BYTES|limit/i);
  }
});

Deno.test("readBudget: the total cap counts every byte", () => {
  const take = readBudget({ maxTotalBytes: 1000 });
  take(new Uint8Array(600));
  assert.throws(() => take(new Uint8Array(600)), /UPSTREAM_ANSWER_LIMIT_BYTES/);
});
