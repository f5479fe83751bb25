/**
 * A bare proxy for `plumbing.ts`: forwards POSTs to the fake upstream and streams its body back through one
 * of several JS stages, so the runtime's own per-chunk cost of each stage can be measured apart from the
 * gateway. Usage: `deno run --allow-net plumbing_proxy.ts <upstream url> <mode>`.
 */
const [upstream, mode] = Deno.args;
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
