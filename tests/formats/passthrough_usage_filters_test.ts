// The pass-through filters' `onUsage`: what each reports, and that the forwarded bytes do not change.
import * as assert from "node:assert/strict";
import type { Usage } from "../../lib/hub/schema.ts";
import { anthropicPassthroughFilter } from "../../lib/formats/anthropic/passthrough.ts";
import { hasUsageObject } from "../../lib/formats/openai-chat/passthrough.ts";
import type { StreamFilter } from "../../lib/stream/pump_stream.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function run(filter: StreamFilter, reads: string[]): string {
  let out = "";
  for (const read of reads) {
    const bytes = filter.push(encoder.encode(read));
    if (bytes) out += decoder.decode(bytes);
  }
  const last = filter.end();
  if (last) out += decoder.decode(last);
  return out;
}

const named = (event: Record<string, unknown>) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const STREAM = [
  named({
    type: "message_start",
    message: { id: "m", model: "minimax-m2.7", content: [], usage: { input_tokens: 10, output_tokens: 1 } },
  }),
  named({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  named({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } }),
  named({ type: "content_block_stop", index: 0 }),
  named({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } }),
  named({ type: "message_stop" }),
];

Deno.test("anthropic filter: onUsage gets message_start's usage then message_delta's patch", () => {
  const patches: Partial<Usage>[] = [];
  run(
    anthropicPassthroughFilter("minimax-m2.7", "go/minimax-m2.7", (usage) => patches.push(usage)),
    STREAM,
  );
  assert.deepEqual(patches, [{ input_tokens: 10, output_tokens: 1 }, { output_tokens: 4 }]);
});

Deno.test("anthropic filter: the forwarded bytes are the same with and without onUsage, in any read split", () => {
  const whole = STREAM.join("");
  for (const split of [1, 7, 64, whole.length]) {
    const reads: string[] = [];
    for (let at = 0; at < whole.length; at += split) reads.push(whole.slice(at, at + split));
    const without = run(anthropicPassthroughFilter("minimax-m2.7", "go/minimax-m2.7"), reads);
    const withUsage = run(
      anthropicPassthroughFilter("minimax-m2.7", "go/minimax-m2.7", () => {}),
      reads,
    );
    assert.equal(withUsage, without);
    assert.equal(withUsage, whole);
  }
});

Deno.test("anthropic filter: malformed usage frames are forwarded as they came and report nothing", () => {
  const patches: Partial<Usage>[] = [];
  const frames = [
    'event: message_start\ndata: {"type":"message_start","message":{"model":"minimax-m2.7","usage":"x"}}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","usage":{oops}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":null}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ];
  const out = run(
    anthropicPassthroughFilter("minimax-m2.7", "go/minimax-m2.7", (usage) => patches.push(usage)),
    frames,
  );
  assert.equal(out, frames.join(""));
  // message_start always reports the hub's two counts, as the builder does.
  assert.deepEqual(patches, [{ input_tokens: 0, output_tokens: 0 }]);
});

Deno.test("hasUsageObject: only a usage key holding an object", () => {
  assert.equal(hasUsageObject('{"choices":[],"usage":{"prompt_tokens":1}}'), true);
  assert.equal(hasUsageObject('{"usage" :\n {"prompt_tokens":1}}'), true);
  assert.equal(hasUsageObject('{"choices":[{"delta":{"content":"usage"}}],"usage":null}'), false);
  assert.equal(hasUsageObject('{"choices":[{"delta":{"content":"\\"usage\\":{}"}}]}'), false);
  assert.equal(hasUsageObject('{"a":"usage","usage":{}}'), true);
  assert.equal(hasUsageObject('{"a":"usage"}'), false);
  assert.equal(hasUsageObject('{"choices":[]}'), false);
  assert.equal(hasUsageObject('"usage"'), false);
});
