// Property: whatever an upstream streams (valid, truncated, reordered, duplicated, garbage, cut at any byte),
// pumpStream + hubStreamFilter with the family's translator yield a grammatical hub sequence ending in message_stop or error;
// and an unmutated stream ends in message_stop with its text, tool calls and stop reason intact.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { Family } from "../../lib/catalog/types.ts";
import type { HubEvent } from "../../lib/hub/schema.ts";
import { upstreamFormats } from "../../lib/formats/registry.ts";
import { collectMessage } from "../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../lib/hub/stream_builder.ts";
import { collectingWriter, hubStreamFilter } from "../../lib/hub/hub_filter.ts";
import { drainStream, pumpStream } from "../../lib/stream/pump_stream.ts";
import { assertHubGrammar } from "../support/check_hub_grammar.ts";
import { resolvedModelArbitrary } from "../support/hub_arbitraries.ts";
import { allFamilies, isPlaceholder } from "../support/registered_formats.ts";
import {
  chunkBytes,
  chunkSizesArbitrary,
  mutateFrames,
  mutationsArbitrary,
  renderScript,
  type Script,
  scriptArbitrary,
} from "../support/upstream_scripts.ts";

const RUNS = 500;

async function translate(family: Family, body: string, sizes: number[], seed: number): Promise<HubEvent[]> {
  const model = fc.sample(resolvedModelArbitrary(family), { numRuns: 1, seed })[0];
  const call = { model, apiKey: "k", sessionId: "s", clientHeaders: new Headers() };
  const builder = new HubStreamBuilder({ messageId: "msg_test", model: "client-model" });
  const toHub = upstreamFormats[family].createStreamToHub(builder, call);
  const stream = ReadableStream.from(chunkBytes(body, sizes));
  const events: HubEvent[] = [];
  const filter = hubStreamFilter({ builder, toHub, writer: collectingWriter(events) });
  await drainStream(
    pumpStream(stream, filter, { idleTimeoutMs: 1_000, pingIntervalMs: 1_000, abort: new AbortController() }),
  );
  return events;
}

/**
 * The text a client should see. Chat upstreams often send whitespace-only `content` before a tool call; the
 * `<think>` splitter holds leading whitespace and drops it when a tool call or the end follows before any
 * visible text, since Anthropic-format upstreams reject whitespace-only text blocks when they are replayed.
 */
function expectedText(family: string, script: Script): string {
  let out = "";
  let pending = "";
  let visible = family !== "openai-chat";
  for (const part of script.parts) {
    if (part.kind !== "text") {
      if (part.kind === "tool") pending = "";
      continue;
    }
    const text = part.chunks.join("");
    if (visible) {
      out += text;
      continue;
    }
    pending += text;
    if (pending.trim() !== "") {
      out += pending;
      pending = "";
      visible = true;
    }
  }
  return out;
}

for (const family of allFamilies) {
  const ignore = isPlaceholder(upstreamFormats[family]);

  Deno.test({
    name: `${family} stream translation of a mutated upstream stream is always grammatical`,
    ignore,
    async fn() {
      await fc.assert(
        fc.asyncProperty(
          scriptArbitrary,
          mutationsArbitrary,
          chunkSizesArbitrary,
          fc.nat(),
          async (script, mutations, sizes, seed) => {
            const body = mutateFrames(renderScript(family, script), mutations);
            const events = await translate(family, body, sizes, seed);
            assertHubGrammar(events);
          },
        ),
        { numRuns: RUNS },
      );
    },
  });

  Deno.test({
    name: `${family} stream translation of a valid upstream stream keeps text, tools and stop reason`,
    ignore,
    async fn() {
      await fc.assert(
        fc.asyncProperty(scriptArbitrary, chunkSizesArbitrary, fc.nat(), async (script, sizes, seed) => {
          const events = await translate(family, renderScript(family, script).join(""), sizes, seed);
          assertHubGrammar(events);
          assert.equal(events.at(-1)?.type, "message_stop", JSON.stringify(events.at(-1)));
          const message = collectMessage(events);
          const text = message.content.map((block) => block.type === "text" ? block.text : "").join("");
          assert.equal(text, expectedText(family, script));
          const tools = message.content.filter((block) => block.type === "tool_use");
          const scripted = script.parts.filter((part) => part.kind === "tool");
          assert.deepEqual(
            tools.map((block) => ({ name: block.name, input: block.input })),
            scripted.map((part) => ({ name: part.name, input: JSON.parse(part.argumentChunks.join("")) })),
          );
          const stop = { end: "end_turn", tool: "tool_use", length: "max_tokens" }[script.finish];
          assert.equal(message.stop_reason, stop);
        }),
        { numRuns: RUNS },
      );
    },
  });
}
