/**
 * A bare proxy for `plumbing.ts`: forwards POSTs to the fake upstream and streams its body back through one
 * of several JS stages, so the runtime's own per-chunk cost of each stage can be measured apart from the
 * gateway. Usage: `deno run --allow-net plumbing_proxy.ts <upstream url> <mode>`.
 */
import { pumpStream, type StreamFilter } from "../../lib/stream/pump_stream.ts";
import { openaiChatPassthroughFilter } from "../../lib/formats/openai-chat/passthrough.ts";
import type { UpstreamCall } from "../../lib/hub/wire_format.ts";

const [upstream, mode] = Deno.args;
const EMPTY = new Uint8Array(0);
const identity: () => StreamFilter = () => {
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
const client = Deno.createHttpClient({});

/** Each mode turns the upstream's body into the client's body. */
const modes: Record<string, (body: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>> = {
  // The untouched fetch body: Deno.serve may copy it resource to resource.
  native: (body) => body,
  transform: (body) => body.pipeThrough(new TransformStream()),
  // One read per pull, as pumpStream did.
  pull: (body) => {
    const reader = body.getReader();
    return new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: () => reader.cancel(),
    }, { highWaterMark: 0 });
  },
  // The same with a 1-chunk queue (the next read starts while the previous chunk is written).
  pull1: (body) => {
    const reader = body.getReader();
    return new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: () => reader.cancel(),
    }, { highWaterMark: 1 });
  },
  // BYOB reads into one reused buffer, each chunk copied out at its own size.
  byob: (body) => {
    const reader = body.getReader({ mode: "byob" });
    let buffer = new ArrayBuffer(16_384);
    return new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read(new Uint8Array(buffer));
        if (done) return controller.close();
        buffer = value!.buffer as ArrayBuffer;
        controller.enqueue(value!.slice());
      },
      cancel: () => reader.cancel(),
    }, { highWaterMark: 0 });
  },
  // The same loop driven by its own reads rather than by pulls: it waits for a pull only when the queue is full.
  byobPush: (body) => {
    const reader = body.getReader({ mode: "byob" });
    let buffer = new ArrayBuffer(16_384);
    let wake: (() => void) | undefined;
    return new ReadableStream({
      async start(controller) {
        (async () => {
          for (;;) {
            const { done, value } = await reader.read(new Uint8Array(buffer));
            if (done) return controller.close();
            buffer = value!.buffer as ArrayBuffer;
            controller.enqueue(value!.slice());
            if (controller.desiredSize! <= 0) await new Promise<void>((resolve) => wake = resolve);
          }
        })().catch(() => {});
      },
      pull() {
        wake?.();
        wake = undefined;
      },
      cancel: () => reader.cancel(),
    }, { highWaterMark: 1 });
  },
  // BYOB reads enqueued into a byte stream.
  byobBytes: (body) => {
    const reader = body.getReader({ mode: "byob" });
    let buffer = new ArrayBuffer(16_384);
    return new ReadableStream({
      type: "bytes",
      async pull(controller) {
        const { done, value } = await reader.read(new Uint8Array(buffer));
        if (done) return controller.close();
        buffer = value!.buffer as ArrayBuffer;
        controller.enqueue(value!.slice());
      },
      cancel: () => reader.cancel(),
    });
  },
  // byob, printing how many reads each stream took (to see whether reads coalesce the upstream's writes).
  byobCount: (body) => {
    const reader = body.getReader({ mode: "byob" });
    let buffer = new ArrayBuffer(16_384);
    let reads = 0;
    return new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read(new Uint8Array(buffer));
        reads++;
        if (done) {
          console.error(`reads ${reads}`);
          return controller.close();
        }
        buffer = value!.buffer as ArrayBuffer;
        controller.enqueue(value!.slice());
      },
      cancel: () => reader.cancel(),
    }, { highWaterMark: 0 });
  },
  // BYOB reads into a fresh 2 KiB buffer per read, enqueued as is.
  byobFresh: (body) => {
    const reader = body.getReader({ mode: "byob" });
    return new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read(new Uint8Array(2048));
        if (done) return controller.close();
        controller.enqueue(value!);
      },
      cancel: () => reader.cancel(),
    }, { highWaterMark: 0 });
  },
  // Reads only: the body drained in JS (default reader), nothing written until the end.
  drain: (body) =>
    new ReadableStream({
      async start(controller) {
        let bytes = 0;
        for await (const chunk of body) bytes += chunk.length;
        controller.enqueue(new TextEncoder().encode(String(bytes)));
        controller.close();
      },
    }),
  drainByob: (body) =>
    new ReadableStream({
      async start(controller) {
        const reader = body.getReader({ mode: "byob" });
        let buffer = new ArrayBuffer(16_384);
        let bytes = 0;
        for (;;) {
          const { done, value } = await reader.read(new Uint8Array(buffer));
          if (done) break;
          bytes += value!.length;
          buffer = value!.buffer as ArrayBuffer;
        }
        controller.enqueue(new TextEncoder().encode(String(bytes)));
        controller.close();
      },
    }),
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
  // drainByob, each read copied out at its own size (what one slice per read costs).
  drainByobSlice: (body) =>
    new ReadableStream({
      async start(controller) {
        const reader = body.getReader({ mode: "byob" });
        let buffer = new ArrayBuffer(16_384);
        let bytes = 0;
        for (;;) {
          const { done, value } = await reader.read(new Uint8Array(buffer));
          if (done) break;
          bytes += value!.slice().length;
          buffer = value!.buffer as ArrayBuffer;
        }
        controller.enqueue(new TextEncoder().encode(String(bytes)));
        controller.close();
      },
    }),
  // Async generator.
  from: (body) =>
    ReadableStream.from((async function* () {
      for await (const chunk of body) yield chunk;
    })()),
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
