/**
 * What recording OpenCode's cost frame adds to a streamed answer: the relay's translated chat path
 * (pumpStream + hubStreamFilter) with and without the `tail` that reads the trailing cost frame, on the chat
 * fixture with a cost chunk after `[DONE]`, one SSE event per upstream read.
 *
 * Run: `deno bench -A bench/cost_frame_bench.ts`; the median table prints at the end.
 */
import { openaiChatUpstream } from "../lib/formats/openai-chat/mod.ts";
import { anthropicStreamFromHub } from "../lib/formats/anthropic/stream_from_hub.ts";
import { HubStreamBuilder } from "../lib/hub/stream_builder.ts";
import { noteCostFrames } from "../lib/log/observe_stream.ts";
import type { RequestRecord } from "../lib/log/request_record.ts";
import { hubStreamFilter } from "../lib/hub/hub_filter.ts";
import { pumpStream } from "../lib/stream/pump_stream.ts";
import { bodyOf, buildChatStream, drain, groupReads, MedianReport } from "./support.ts";
import { fakeCatalog } from "../tests/support/fake_catalog.ts";
import type { UpstreamCall } from "../lib/hub/wire_format.ts";

const model = await fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: "http://127.0.0.1:1" })
  .resolve("kimi-k2.6");
const call: UpstreamCall = { model, apiKey: "bench", sessionId: "ocb-bench", clientHeaders: new Headers() };
const fixture = buildChatStream();
const reads = [
  ...groupReads(fixture.frames, 1),
  new TextEncoder().encode('data: {"choices":[],"cost":"0.0123"}\n\n'),
];

function relayed(withTail: boolean, record: RequestRecord): ReadableStream<Uint8Array> {
  const builder = new HubStreamBuilder({ messageId: "msg_bench", model: "kimi-k2.6" });
  const toHub = openaiChatUpstream.createStreamToHub(builder, call);
  const filter = hubStreamFilter({ builder, toHub, writer: anthropicStreamFromHub() });
  return pumpStream(bodyOf(reads), filter, {
    idleTimeoutMs: 305_000,
    pingIntervalMs: 10_000,
    abort: new AbortController(),
    tail: withTail ? noteCostFrames(record) : undefined,
  });
}

const newRecord = (): RequestRecord => ({
  id: "req_bench",
  method: "POST",
  path: "/v1/messages",
  startedAt: 0,
  retries: 0,
  secrets: [],
});

// The path under test must actually record the cost, or the comparison means nothing.
const check = newRecord();
await drain(relayed(true, check));
await new Promise((resolve) => setTimeout(resolve, 50));
if (check.costUsd !== 0.0123) throw new Error(`Bench path did not record the cost: ${check.costUsd}`);

const report = new MedianReport();
const group = `chat → anthropic stream, ${fixture.chunkCount} chunks + cost chunk, 1 event per read`;
// Interleaved, the tail first and last: the first bench of a file pays the JIT warm-up, which would flatter
// whichever variant runs second.
const variants = [
  ["with cost tail", true, false],
  ["without tail", false, true],
  ["with cost tail (again)", true, false],
] as const;
for (const [name, withTail, baseline] of variants) {
  const timed = report.track(
    { group, name, baseline, chunks: fixture.chunkCount },
    () => drain(relayed(withTail, newRecord())),
  );
  Deno.bench({ name, group, baseline, fn: timed });
}

globalThis.addEventListener("unload", () => {
  console.log(`\nMedian per run (wall clock, warm-up included in runs):\n${report.render()}`);
});
