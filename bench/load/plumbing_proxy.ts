/**
 * A bare proxy for `plumbing.ts`: forwards POSTs to the fake upstream and streams its body back through one
 * of several JS stages, so the runtime's own per-chunk cost of each stage can be measured apart from the
 * gateway. Usage: `deno run --allow-net --config=deno.json plumbing_proxy.ts <upstream url> <mode>`.
 */
import { pumpStream, type StreamFilter } from "../../lib/stream/pump_stream.ts";
import { openaiChatPassthroughFilter } from "../../lib/formats/openai-chat/passthrough.ts";
import type { UpstreamCall } from "../../lib/hub/wire_format.ts";

const [upstream, mode] = Deno.args;
const client = Deno.createHttpClient({});
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

const identity = (): StreamFilter => {
  let finished = false;
  return {
    get finished() {
      return finished;
    },
    push: (chunk) => chunk,
    end: () => {
      finished = true;
      return undefined;
    },
    fail: () => EMPTY,
    ping: () => EMPTY,
  };
};
const pump = (body: ReadableStream<Uint8Array>, filter: StreamFilter) =>
  pumpStream(body, filter, {
    idleTimeoutMs: 60_000,
    pingIntervalMs: 15_000,
    abort: new AbortController(),
    limits: { maxEventBytes: 1 << 20 },
  });
const call = { model: { upstreamModel: "bench-openai-chat-text" } } as UpstreamCall;

/** One read of `reader` per pull, each chunk handed to `enqueue` (or the stream closed at the end). */
function pulled(
  read: () => Promise<ReadableStreamReadResult<Uint8Array>>,
  cancel: () => Promise<void>,
  options: { copy?: boolean; bytes?: boolean; highWaterMark?: number } = {},
): ReadableStream<Uint8Array> {
  const source = {
    async pull(controller: ReadableStreamDefaultController<Uint8Array>) {
      const { done, value } = await read();
      if (done) controller.close();
      else controller.enqueue(options.copy ? value.slice() : value);
    },
    cancel,
  };
  return options.bytes
    ? new ReadableStream({ ...source, type: "bytes" } as UnderlyingByteSource)
    : new ReadableStream(source, { highWaterMark: options.highWaterMark ?? 0 });
}

/** Reads into one reused buffer (`fresh`: a new 2 KiB buffer per read instead). */
function byobRead(body: ReadableStream<Uint8Array>, fresh = false) {
  const reader = body.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(16_384);
  return {
    async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
      const result = await reader.read(new Uint8Array(fresh ? new ArrayBuffer(2048) : buffer));
      if (!fresh && result.value) buffer = result.value.buffer as ArrayBuffer;
      return result as ReadableStreamReadResult<Uint8Array>;
    },
    cancel: () => reader.cancel(),
  };
}

/** Reads only: the body drained in JS, its byte count sent at the end. */
function drained(read: () => Promise<ReadableStreamReadResult<Uint8Array>>, copy = false) {
  return new ReadableStream({
    async start(controller) {
      let bytes = 0;
      for (let result = await read(); !result.done; result = await read()) {
        bytes += copy ? result.value.slice().length : result.value.length;
      }
      controller.enqueue(encoder.encode(String(bytes)));
      controller.close();
    },
  });
}

const defaultRead = (body: ReadableStream<Uint8Array>) => {
  const reader = body.getReader();
  return { read: () => reader.read(), cancel: () => reader.cancel() };
};

/** Each mode turns the upstream's body into the client's body. */
const modes: Record<string, (body: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>> = {
  // The untouched fetch body: Deno.serve copies it resource to resource.
  native: (body) => body,
  transform: (body) => body.pipeThrough(new TransformStream()),
  from: (body) => ReadableStream.from(body),
  // One default read per pull, as pumpStream did; `pull1` with a one-chunk queue.
  pull: (body) => {
    const reader = defaultRead(body);
    return pulled(reader.read, reader.cancel);
  },
  pull1: (body) => {
    const reader = defaultRead(body);
    return pulled(reader.read, reader.cancel, { highWaterMark: 1 });
  },
  // BYOB reads into one reused buffer, each chunk copied out at its own size; into a fresh 2 KiB buffer; and
  // enqueued into a byte stream.
  byob: (body) => {
    const reader = byobRead(body);
    return pulled(reader.read, reader.cancel, { copy: true });
  },
  byobFresh: (body) => {
    const reader = byobRead(body, true);
    return pulled(reader.read, reader.cancel);
  },
  byobBytes: (body) => {
    const reader = byobRead(body);
    return pulled(reader.read, reader.cancel, { copy: true, bytes: true });
  },
  drain: (body) => drained(defaultRead(body).read),
  drainByob: (body) => drained(byobRead(body).read),
  drainByobSlice: (body) => drained(byobRead(body).read, true),
  // The gateway's pump with a filter that passes every read on, and with the Chat pass-through's filter.
  pump: (body) => pump(body, identity()),
  pumpChat: (body) =>
    pump(
      body,
      openaiChatPassthroughFilter(call, "bench-openai-chat-text", {
        secrets: ["bench-key"],
        onUsage: () => {},
      }),
    ),
};

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, async (request) => {
  const url = new URL(request.url);
  const response = await fetch(`${upstream}${url.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: await request.arrayBuffer(),
    client,
    signal: request.signal,
  });
  return new Response(modes[mode](response.body!), {
    headers: { "content-type": "text/event-stream; charset=utf-8" },
  });
});
