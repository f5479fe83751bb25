/**
 * What translating a chat-completions upstream costs Claude Code, per streamed chunk: the relay's real path
 * (pumpStream + hubStreamFilter: the openai-chat stream translator and the Anthropic writer) against a
 * raw pipe of the same bytes, for one SSE event per upstream read and for ~50 events per read.
 *
 * Run: `deno bench -A bench/chat_stream_bench.ts` (or `deno task bench`); the median table prints at the end.
 */
import { defaultQuirkCapabilities } from "../lib/catalog/quirks.ts";
import type { ResolvedModel } from "../lib/catalog/types.ts";
import { anthropicStreamFromHub } from "../lib/formats/anthropic/stream_from_hub.ts";
import { openaiChatUpstream } from "../lib/formats/openai-chat/mod.ts";
import type { UpstreamCall } from "../lib/hub/wire_format.ts";
import { HubStreamBuilder } from "../lib/hub/stream_builder.ts";
import { hubStreamFilter } from "../lib/hub/hub_filter.ts";
import { pumpStream } from "../lib/stream/pump_stream.ts";
import type { ReadLimits } from "../lib/stream/read_budget.ts";
import { SseDecoder, type SseEvent } from "../lib/sse/sse_decoder.ts";
import { bodyOf, buildChatStream, drain, groupReads, MedianReport } from "./support.ts";

const IDLE_TIMEOUT_MS = 305_000;
const PING_INTERVAL_MS = 10_000;
const encoder = new TextEncoder();

const model: ResolvedModel = {
  requested: "kimi-k2.6",
  service: "go",
  baseUrl: "http://127.0.0.1:1",
  family: "openai-chat",
  upstreamModel: "kimi-k2.6",
  limits: { context: 262_144, output: 65_536 },
  capabilities: {
    reasoning: true,
    toolCall: true,
    image: false,
    pdf: false,
    interleavedField: "reasoning_content",
    efforts: null,
    temperature: false,
    ...defaultQuirkCapabilities,
  },
  matchedBy: "exact",
};
const call: UpstreamCall = { model, apiKey: "bench", sessionId: "ocb-bench", clientHeaders: new Headers() };

/** The relay's streaming body for a chat upstream, as Claude Code receives it. */
function translated(reads: Uint8Array[], limits?: ReadLimits): ReadableStream<Uint8Array> {
  const builder = new HubStreamBuilder({ messageId: "msg_bench", model: "kimi-k2.6" });
  const toHub = openaiChatUpstream.createStreamToHub(builder, call);
  const filter = hubStreamFilter({ builder, toHub, writer: anthropicStreamFromHub() });
  return pumpStream(bodyOf(reads), filter, {
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    pingIntervalMs: PING_INTERVAL_MS,
    abort: new AbortController(),
    limits,
  });
}

/**
 * The same decode → translate → write work in one synchronous loop, without streams or timers: the
 * difference to `translated` is what the async plumbing (a read and an enqueue per upstream read) costs.
 */
function translatedWithoutPlumbing(reads: Uint8Array[]): number {
  const builder = new HubStreamBuilder({ messageId: "msg_bench", model: "kimi-k2.6" });
  const toHub = openaiChatUpstream.createStreamToHub(builder, call);
  const writer = anthropicStreamFromHub();
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  let bytes = 0;
  for (const read of reads) {
    decoder.push(read, events);
    for (const event of events) toHub.push(event);
    events.length = 0;
    if (builder.sink.length > 0) bytes += encoder.encode(writer.write(builder.sink.splice(0))).length;
  }
  toHub.end?.();
  builder.end();
  return bytes + encoder.encode(writer.write(builder.sink.splice(0))).length;
}

/** A pass-through relay of the same bytes: the floor any translation is measured against. */
function rawPipe(reads: Uint8Array[]): ReadableStream<Uint8Array> {
  return bodyOf(reads).pipeThrough(new TransformStream<Uint8Array, Uint8Array>());
}

const fixture = buildChatStream();
await assertTranslates(groupReads(fixture.frames, 1));

const report = new MedianReport();

function bench(group: string, name: string, fn: () => Promise<unknown>, baseline = false): void {
  const timed = report.track({ group, name, baseline, chunks: fixture.chunkCount }, fn);
  Deno.bench({ name, group, baseline, fn: timed });
}

for (const eventsPerRead of [1, 50]) {
  const reads = groupReads(fixture.frames, eventsPerRead);
  const group =
    `chat stream, ${fixture.chunkCount} chunks, ${eventsPerRead} event(s) per read (${reads.length} reads)`;
  bench(group, `raw pipe, ${eventsPerRead}/read`, () => drain(rawPipe(reads)), true);
  bench(group, `chat → hub → anthropic, ${eventsPerRead}/read`, () => drain(translated(reads)));
  // What the relay runs: the same, with the per-read event budget (UPSTREAM_EVENT_LIMIT_BYTES) checked.
  bench(
    group,
    `same, with read limits, ${eventsPerRead}/read`,
    () => drain(translated(reads, { maxEventBytes: 16 * 1024 * 1024 })),
  );
  bench(
    group,
    `same, no stream plumbing, ${eventsPerRead}/read`,
    () => Promise.resolve(translatedWithoutPlumbing(reads)),
  );
}

globalThis.addEventListener("unload", () => {
  console.log(`\nMedian per run (wall clock, warm-up included in runs):\n${report.render()}`);
});

/** Fails the bench up front if the path under test does not produce the whole message. */
async function assertTranslates(reads: Uint8Array[]): Promise<void> {
  const text = await new Response(translated(reads)).text();
  const events = text.split("\n\n").filter((frame) => frame.startsWith("event: "))
    .map((frame) => JSON.parse(frame.slice(frame.indexOf("data: ") + 6)));
  let output = "";
  let thinking = "";
  let toolArguments = "";
  for (const event of events) {
    if (event.type !== "content_block_delta") continue;
    if (event.delta.type === "text_delta") output += event.delta.text;
    if (event.delta.type === "thinking_delta") thinking += event.delta.thinking;
    if (event.delta.type === "input_json_delta") toolArguments += event.delta.partial_json;
  }
  const last = events.at(-1)?.type;
  const stop = events.find((event) => event.type === "message_delta")?.delta.stop_reason;
  if (
    output !== fixture.text || thinking !== fixture.reasoning || toolArguments !== fixture.toolArguments ||
    last !== "message_stop" || stop !== "tool_use"
  ) {
    throw new Error(`Bench fixture did not translate cleanly: last=${last} stop=${stop}`);
  }
}
