/**
 * The Anthropic passthrough (client and upstream both Anthropic) against a raw pipe of the same bytes, and the
 * translated path (SSE → hub events → Anthropic SSE) for scale, on a realistic ~1,000-event stream delivered
 * in reads of 1 event and of ~20 events.
 *
 *   deno bench -A bench/anthropic_passthrough_bench.ts              (Deno's table: avg, p75, p99)
 *   deno run -A bench/anthropic_passthrough_bench.ts --medians      (medians and ratios)
 */
import { anthropicPassthroughFilter } from "../lib/formats/anthropic/passthrough.ts";
import type { Usage } from "../lib/hub/schema.ts";
import { anthropicStreamFromHub } from "../lib/formats/anthropic/stream_from_hub.ts";
import { anthropicStreamToHub } from "../lib/formats/anthropic/stream_to_hub.ts";
import { HubStreamBuilder } from "../lib/hub/stream_builder.ts";
import { hubStreamFilter } from "../lib/hub/hub_filter.ts";
import { pumpStream } from "../lib/stream/pump_stream.ts";

const encoder = new TextEncoder();
/** The upstream's signature origin: its one signature_delta is re-encoded, wrapped, on both paths. */
const ORIGIN = "go/minimax-m2.7";

function frame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** message_start, ~300 thinking deltas, ~520 text deltas, a tool call in ~170 fragments, OpenCode's cost ping. */
function realisticEvents(): string[] {
  const events: string[] = [frame({
    type: "message_start",
    message: {
      id: "msg_bench",
      type: "message",
      role: "assistant",
      model: "minimax-m2.7",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 18000,
        output_tokens: 1,
        cache_read_input_tokens: 42000,
        cache_creation_input_tokens: 0,
      },
    },
  } as { type: string })];
  const block = (index: number, start: object, deltas: object[]) => {
    events.push(frame({ type: "content_block_start", index, content_block: start } as { type: string }));
    for (const delta of deltas) {
      events.push(frame({ type: "content_block_delta", index, delta } as { type: string }));
    }
    events.push(frame({ type: "content_block_stop", index } as { type: string }));
  };
  const words = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, index) => `${prefix} ${index % 7 === 0 ? "naïve café" : "token"} `);
  block(
    0,
    { type: "thinking", thinking: "", signature: "" },
    [
      ...words(300, "think").map((thinking) => ({ type: "thinking_delta", thinking })),
      { type: "signature_delta", signature: "EqQBCkYIBxgCKkBvZ2l0aGVyZQ==".repeat(8) },
    ],
  );
  block(1, { type: "text", text: "" }, words(520, "text").map((text) => ({ type: "text_delta", text })));
  const args = JSON.stringify({ file_path: "/work/src/main.ts", content: "x".repeat(4000) });
  const fragments = Array.from({ length: 170 }, (_, index) => args.slice(index * 24, (index + 1) * 24));
  block(
    2,
    { type: "tool_use", id: "toolu_bench", name: "Write", input: {} },
    fragments.map((partial_json) => ({ type: "input_json_delta", partial_json })),
  );
  events.push(frame({
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { output_tokens: 1100 },
  } as { type: string }));
  events.push(frame({ type: "message_stop" }));
  events.push('event: ping\ndata: {"type":"ping","cost":"0.0042"}\n\n');
  return events;
}

const EVENTS = realisticEvents();

function reads(eventsPerRead: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let index = 0; index < EVENTS.length; index += eventsPerRead) {
    out.push(encoder.encode(EVENTS.slice(index, index + eventsPerRead).join("")));
  }
  return out;
}

const READS = { "1 event": reads(1), "20 events": reads(20) };

function source(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.byteLength;
  return bytes;
}

let loggedUsage: Partial<Usage> = {};
const noteUsage = (usage: Partial<Usage>) => loggedUsage = { ...loggedUsage, ...usage };

const options = () => ({
  idleTimeoutMs: 300_000,
  pingIntervalMs: 10_000,
  abort: new AbortController(),
});

const paths: Record<string, (chunks: Uint8Array[]) => Promise<number>> = {
  "raw pipe": (chunks) => drain(source(chunks).pipeThrough(new TransformStream<Uint8Array, Uint8Array>())),
  // With the usage callback the relay passes when the request is logged (always, in the gateway).
  "passthrough": (chunks) =>
    drain(
      pumpStream(
        source(chunks),
        anthropicPassthroughFilter("minimax-m2.7", ORIGIN, noteUsage),
        options(),
      ),
    ),
  "translated (hub)": (chunks) => {
    const builder = new HubStreamBuilder({ messageId: "msg_x", model: "minimax-m2.7" });
    const toHub = anthropicStreamToHub(builder, ORIGIN);
    return drain(
      pumpStream(
        source(chunks),
        hubStreamFilter({ builder, toHub, writer: anthropicStreamFromHub() }),
        options(),
      ),
    );
  },
};

for (const [group, chunks] of Object.entries(READS)) {
  for (const [name, run] of Object.entries(paths)) {
    Deno.bench({
      name: `${name}, reads of ${group}`,
      group: `reads of ${group}`,
      baseline: name === "raw pipe",
      fn: async () => {
        await run(chunks);
      },
    });
  }
}

async function medians(iterations = 300): Promise<void> {
  console.log(`${EVENTS.length} events, ${READS["1 event"].reduce((n, c) => n + c.byteLength, 0)} bytes`);
  for (const [group, chunks] of Object.entries(READS)) {
    const results: Record<string, number> = {};
    for (const [name, run] of Object.entries(paths)) {
      for (let warm = 0; warm < 30; warm++) await run(chunks);
      const times: number[] = [];
      for (let index = 0; index < iterations; index++) {
        const start = performance.now();
        await run(chunks);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      results[name] = times[Math.floor(times.length / 2)];
    }
    const raw = results["raw pipe"];
    console.log(`reads of ${group} (${chunks.length} reads):`);
    for (const [name, median] of Object.entries(results)) {
      console.log(
        `  ${name.padEnd(18)} median ${median.toFixed(3)} ms  ×${(median / raw).toFixed(2)} raw pipe`,
      );
    }
  }
}

if (Deno.args.includes("--medians")) await medians();
