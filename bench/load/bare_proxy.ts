/**
 * The floor under the gateway's figures: a proxy that does nothing a gateway could skip, run as its own process
 * by bench/load/floor.ts. `native` hands the request and answer bodies to the runtime untouched (Deno copies
 * them without JavaScript); `js` does the least any translating gateway must: reads the request, parses and
 * re-serialises its JSON, and pumps the answer through one pull loop over the gateway's own BYOB reader (lib/stream/chunk_reader.ts).
 * `deno run --allow-net bench/load/bare_proxy.ts <upstream base URL> <native|js>`
 */
import { chunkReader } from "../../lib/stream/chunk_reader.ts";

const [upstream, mode] = Deno.args;
// bench/load/profile.ts runs this under --cpu-prof, which V8 writes only on a normal exit.
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));

function pumped(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = chunkReader(body);
  return new ReadableStream({
    async pull(controller) {
      const result = await reader.read();
      if (result.done) return controller.close();
      // A lent read is only valid until the next one: the client gets its own copy, as pumpStream gives.
      controller.enqueue(reader.lends ? result.value.slice() : result.value);
    },
    cancel: () => reader.cancel(),
  });
}

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, async (request) => {
  const path = new URL(request.url).pathname.replace(/^\/v1/, "");
  const headers = { "content-type": "application/json", authorization: "Bearer bench" };
  if (mode === "native") {
    const answer = await fetch(upstream + path, { method: "POST", headers, body: request.body });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
  const body = JSON.stringify(JSON.parse(await request.text()));
  const answer = await fetch(upstream + path, { method: "POST", headers, body });
  return new Response(pumped(answer.body!), {
    status: answer.status,
    headers: { "content-type": answer.headers.get("content-type") ?? "application/json" },
  });
});
