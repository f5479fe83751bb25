import assert from "node:assert/strict";
import { anthropicPassthroughFilter } from "../../../lib/formats/anthropic/passthrough.ts";
import {
  unwrapAnthropicSignature,
  wrapAnthropicSignature,
} from "../../../lib/formats/anthropic/thinking_signature.ts";
import { pumpStream } from "../../../lib/stream/pump_stream.ts";
import {
  COST_PING,
  type EventObject,
  frame,
  type ScriptedTurn,
  turnEvents,
} from "../../support/fake_anthropic_upstream.ts";
import { byteChunks } from "../../support/fake_upstream.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const TURN: ScriptedTurn = {
  thinking: "Two files, in parallel — café ☕ first.",
  text: "Writing both files.",
  toolUses: [
    { name: "Write", input: { file_path: "/tmp/a.txt", content: "A — ü" } },
    { name: "Write", input: { file_path: "/tmp/b.txt", content: "B" } },
  ],
  usage: { input_tokens: 1200, output_tokens: 88, cache_read_input_tokens: 800 },
};

const ORIGIN = "go/minimax-m2.7";
const sse = (event: EventObject) => frame(event);

/**
 * What the client gets for these upstream frames when nothing else changes them: the same bytes, except each
 * `signature_delta` event, re-encoded with its signature wrapped for the upstream's origin (the one kind of
 * frame in a scripted turn that the pass-through must change, so that the signature can be told apart from
 * another server's when it comes back).
 */
function clientFrames(frames: string[]): string[] {
  return frames.map((text) => {
    if (!text.includes('"signature_delta"')) return text;
    const data = JSON.parse(text.slice(text.indexOf("data: ") + 6));
    data.delta.signature = wrapAnthropicSignature(data.delta.signature, ORIGIN);
    return frame(data);
  });
}

function upstreamFrames(turn: ScriptedTurn = TURN, model = "minimax-m2.7"): string[] {
  let id = 0;
  return turnEvents(turn, {
    model,
    messageId: "msg_up",
    sign: () => "c2lnbmF0dXJl",
    toolId: () => `toolu_${++id}`,
  }).map(frame);
}

/** A body that delivers `chunks` one read at a time; `stall` keeps it open and silent afterwards. */
function body(chunks: Uint8Array[], options: { stall?: boolean; onCancel?: () => void } = {}) {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index < chunks.length) {
        await Promise.resolve();
        controller.enqueue(chunks[index++]);
      } else if (!options.stall) {
        controller.close();
      } else {
        await new Promise(() => {}); // silent upstream
      }
    },
    cancel: options.onCancel,
  }, { highWaterMark: 0 });
}

interface Run {
  text: string;
  chunks: Uint8Array[];
}

async function run(
  upstream: ReadableStream<Uint8Array>,
  options: { model?: string; idleTimeoutMs?: number; pingIntervalMs?: number; abort?: AbortController } = {},
): Promise<Run> {
  const filter = anthropicPassthroughFilter(options.model ?? "minimax-m2.7", ORIGIN);
  const stream = pumpStream(upstream, filter, {
    idleTimeoutMs: options.idleTimeoutMs ?? 5_000,
    pingIntervalMs: options.pingIntervalMs ?? 5_000,
    abort: options.abort ?? new AbortController(),
  });
  const chunks = await Array.fromAsync(stream);
  return { text: chunks.map((chunk) => decoder.decode(chunk)).join(""), chunks };
}

function errorFrame(type: string, message: string): string {
  return `event: error\ndata: ${JSON.stringify({ type: "error", error: { type, message } })}\n\n`;
}

Deno.test("the Anthropic passthrough gives the client the upstream's bytes minus OpenCode's cost ping", async (t) => {
  const frames = upstreamFrames();
  // Byte for byte, but for the signature event (see clientFrames).
  const expected = clientFrames(frames).join("");
  for (const size of [1, 7, 61, 4096, 1 << 20]) {
    await t.step(`reads of ${size} bytes`, async () => {
      const result = await run(body(byteChunks(frames.join("") + COST_PING, size)));
      assert.equal(result.text, expected);
    });
  }
});

Deno.test("the Anthropic passthrough forwards one read as one chunk, without copying when nothing changes", async () => {
  const frames = upstreamFrames();
  // message_start, ping, the thinking block's start and its three deltas: nothing to change.
  const first = encoder.encode(frames.slice(0, 6).join(""));
  const second = encoder.encode(frames.slice(6).join("") + COST_PING);
  const result = await run(body([first, second]));
  assert.equal(result.chunks.length, 2);
  // The first read is forwarded as the upstream's own buffer.
  assert.equal(result.chunks[0].buffer, first.buffer);
  assert.equal(result.chunks[0].byteLength, first.byteLength);
  // The second starts with the signature event, re-encoded; the rest of it as it came.
  assert.equal(decoder.decode(result.chunks[1]), clientFrames(frames.slice(6)).join(""));
});

Deno.test("the Anthropic passthrough shows the client's model name in message_start only", async () => {
  const frames = upstreamFrames(TURN, "MiniMax-M2.7");
  const result = await run(body(byteChunks(frames.join("") + COST_PING, 50)), { model: "claude-sonnet-4-5" });
  const expectedStart = frames[0].replace('"model":"MiniMax-M2.7"', '"model":"claude-sonnet-4-5"');
  assert.equal(result.text, expectedStart + clientFrames(frames.slice(1)).join(""));
});

Deno.test("the Anthropic passthrough ends a cut stream with one error event", async (t) => {
  const frames = upstreamFrames();
  await t.step("cut between events", async () => {
    const kept = frames.slice(0, 6).join("");
    const result = await run(body(byteChunks(kept, 17)));
    assert.equal(result.text, kept + errorFrame("api_error", "Upstream stream ended before completion"));
  });
  await t.step("cut inside an event: the half event is not forwarded", async () => {
    const kept = frames.slice(0, 6).join("");
    const half = frames[6].slice(0, 30);
    const result = await run(body(byteChunks(kept + half, 17)));
    assert.equal(result.text, kept + errorFrame("api_error", "Upstream stream ended before completion"));
  });
  await t.step("nothing at all", async () => {
    const result = await run(body([]));
    assert.equal(result.text, errorFrame("api_error", "Upstream returned an empty stream"));
  });
  await t.step("a last message_stop without its blank line still completes the stream", async () => {
    const all = frames.join("");
    const result = await run(body([encoder.encode(all.slice(0, -1))]));
    assert.equal(result.text, clientFrames(frames).join(""));
  });
});

Deno.test("the Anthropic passthrough normalises an upstream error event and drops what follows", async () => {
  const frames = upstreamFrames();
  const upstreamError = frame({
    type: "error",
    error: { type: "GoUsageLimitError", message: "limit" },
  } as { type: string });
  const result = await run(
    body(byteChunks(frames.slice(0, 5).join("") + upstreamError + frames.slice(5).join(""), 40)),
  );
  const last = result.text.slice(result.text.lastIndexOf("event: "));
  assert.equal(result.text.slice(0, -last.length), frames.slice(0, 5).join(""));
  const data = JSON.parse(last.split("data: ")[1]);
  assert.equal(data.error.type, "rate_limit_error");
  assert.match(data.error.message, /OpenCode Go usage limit reached/);
});

// Client saw: a complete answer followed by `event: error` "Upstream returned an empty stream" when the
// Anthropic-format upstream sent data-only frames (no `event:` lines).
Deno.test("the Anthropic passthrough reads data-only frames by their type field and names them", async (t) => {
  const dataOnly = (frames: string[]) => frames.map((text) => text.replace(/^event: [^\n]*\n/, ""));
  await t.step(
    "each frame gets its event line (the SDK skips unnamed ones), the cost ping is dropped",
    async () => {
      const named = upstreamFrames();
      const frames = dataOnly(named);
      assert.ok(!frames.join("").includes("event:"));
      const costPing = COST_PING.replace(/^event: [^\n]*\n/, "");
      for (const size of [1, 61, 4096]) {
        const result = await run(body(byteChunks(frames.join("") + costPing + frames[1], size)));
        assert.equal(result.text, clientFrames(named).join(""));
      }
    },
  );
  await t.step("message_start shows the client's model name", async () => {
    const named = upstreamFrames(TURN, "MiniMax-M2.7");
    const result = await run(body(byteChunks(dataOnly(named).join(""), 50)), { model: "claude-sonnet-4-5" });
    const start = named[0].replace('"model":"MiniMax-M2.7"', '"model":"claude-sonnet-4-5"');
    assert.equal(result.text, start + clientFrames(named.slice(1)).join(""));
  });
  await t.step("a cut stream that had started says so", async () => {
    const named = upstreamFrames().slice(0, 6);
    const result = await run(body(byteChunks(dataOnly(named).join(""), 17)));
    assert.equal(
      result.text,
      named.join("") + errorFrame("api_error", "Upstream stream ended before completion"),
    );
  });
  await t.step("an error frame is normalised; unknown data-only frames go as they came", async () => {
    const named = upstreamFrames().slice(0, 3);
    const odd = 'data: {"type":"mystery"}\n\ndata: {"no_type":1}\n\n';
    const upstreamError = `data: ${
      JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "busy" } })
    }\n\n`;
    const result = await run(body(byteChunks(dataOnly(named).join("") + odd + upstreamError, 40)));
    assert.equal(result.text, named.join("") + odd + errorFrame("overloaded_error", "busy"));
  });
});

// Reviewers saw: a raw signature from one Anthropic-format server forwarded to another (MiniMax → Qwen), which
// answered 400 "Invalid `signature` in `thinking` block". The client must get signatures that name their origin.
Deno.test("the Anthropic passthrough re-encodes only the events that carry a signature", async (t) => {
  const start = (block: object, index = 0) =>
    sse({ type: "content_block_start", index, content_block: block });
  const delta = (value: object, index = 0) => sse({ type: "content_block_delta", index, delta: value });
  const upstream = [
    upstreamFrames()[0],
    start({ type: "thinking", thinking: "", signature: "" }),
    delta({ type: "thinking_delta", thinking: 'say "signature_delta" and "redacted_thinking"' }),
    delta({ type: "signature_delta", signature: "sig-1" }),
    sse({ type: "content_block_stop", index: 0 }),
    start({ type: "redacted_thinking", data: "enc-data" }, 1),
    sse({ type: "content_block_stop", index: 1 }),
    start({ type: "thinking", thinking: "Two.", signature: "sig-2" }, 2),
    sse({ type: "content_block_stop", index: 2 }),
    start({ type: "text", text: "" }, 3),
    delta({ type: "text_delta", text: '{"type":"signature_delta","signature":"x"}' }, 3),
    sse({ type: "content_block_stop", index: 3 }),
    sse({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } }),
    sse({ type: "message_stop" }),
  ];
  const wrapped = (value: string) => wrapAnthropicSignature(value, ORIGIN);
  const expected = [...upstream];
  expected[3] = delta({ type: "signature_delta", signature: wrapped("sig-1") });
  expected[5] = start({ type: "redacted_thinking", data: wrapped("enc-data") }, 1);
  expected[7] = start({ type: "thinking", thinking: "Two.", signature: wrapped("sig-2") }, 2);
  await t.step(
    "named frames: the three signed ones change, every other one is the upstream's bytes",
    async () => {
      for (const size of [1, 29, 4096]) {
        const result = await run(body(byteChunks(upstream.join("") + COST_PING, size)));
        assert.equal(result.text, expected.join(""));
      }
    },
  );
  await t.step("data-only frames: the same, each with its event line", async () => {
    const dataOnly = upstream.map((text) => text.replace(/^event: [^\n]*\n/, "")).join("");
    const result = await run(body(byteChunks(dataOnly, 37)));
    assert.equal(result.text, expected.join(""));
  });
  await t.step(
    "deltas are looked into while a thinking block is open, whatever closes around it",
    async () => {
      // A thinking start without a signature field, a text block opened and closed inside it, then its signature.
      const interleaved = [
        upstreamFrames()[0],
        sse({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }),
        start({ type: "text", text: "" }, 1),
        delta({ type: "text_delta", text: "x" }, 1),
        sse({ type: "content_block_stop", index: 1 }),
        delta({ type: "signature_delta", signature: "sig-0" }),
        sse({ type: "content_block_stop", index: 0 }),
        // After every thinking block closed: not looked into (no thinking block can take a signature now).
        delta({ type: "signature_delta", signature: "stray" }, 2),
        sse({ type: "message_stop" }),
      ];
      const result = await run(body(byteChunks(interleaved.join(""), 23)));
      const out = [...interleaved];
      out[5] = delta({ type: "signature_delta", signature: wrapped("sig-0") });
      assert.equal(result.text, out.join(""));
    },
  );
  await t.step("what the client holds unwraps to the upstream's own values for this origin only", () => {
    assert.equal(unwrapAnthropicSignature(wrapped("sig-1"), ORIGIN), "sig-1");
    assert.equal(unwrapAnthropicSignature(wrapped("sig-1"), "go/qwen3.7-plus"), undefined);
  });
});

Deno.test("the Anthropic passthrough pings in silences and ends an idle upstream with timeout_error", async () => {
  const first = upstreamFrames().slice(0, 3).join("");
  const result = await run(body([encoder.encode(first)], { stall: true }), {
    pingIntervalMs: 10,
    idleTimeoutMs: 80,
  });
  assert.ok(result.text.startsWith(first));
  const rest = result.text.slice(first.length);
  assert.match(rest, /^(event: ping\ndata: \{"type":"ping"\}\n\n)+event: error\n/);
  assert.ok(rest.endsWith(errorFrame("timeout_error", "Upstream sent nothing for 80 ms")));
});

Deno.test("the Anthropic passthrough aborts the upstream when the client goes away", async () => {
  const abort = new AbortController();
  let upstreamSawAbort = false;
  // Like a fetch body: a pending read fails once the request's signal aborts.
  let sent = false;
  const upstream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(encoder.encode(upstreamFrames()[0]));
        return;
      }
      return new Promise((_, reject) => {
        abort.signal.addEventListener("abort", () => {
          upstreamSawAbort = true;
          reject(new DOMException("The signal has been aborted", "AbortError"));
        });
      });
    },
  }, { highWaterMark: 0 });
  const stream = pumpStream(upstream, anthropicPassthroughFilter("minimax-m2.7", ORIGIN), {
    idleTimeoutMs: 5_000,
    pingIntervalMs: 5_000,
    abort,
  });
  const reader = stream.getReader();
  await reader.read();
  const pending = reader.read();
  await new Promise((resolve) => setTimeout(resolve, 0)); // the upstream read is now in flight
  await reader.cancel();
  await pending.catch(() => {});
  assert.ok(abort.signal.aborted);
  assert.ok(upstreamSawAbort);
});
