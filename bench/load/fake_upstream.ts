/**
 * The load benchmark's upstream, run as its own process so its CPU is not counted against the gateway: every
 * family's endpoint (chat completions, messages, responses, Gemini streamGenerateContent), stream and
 * non-stream, no delay, one SSE event per write. `GET /models` lists the benchmark's ids and `GET /api.json`
 * is a models.dev-shaped catalog that gives each its family. Usage: `deno run --allow-net fake_upstream.ts`;
 * prints `listening on http://127.0.0.1:<port>`.
 */
import { allModelIds, type Reply, replyFor } from "./replies.ts";
import { geminiChunks, responsesBody, responsesEvents, usage } from "./fake_answers.ts";
import { modelsDev } from "./models_dev_fixture.ts";

type Json = Record<string, unknown>;
const encoder = new TextEncoder();

function anthropicEvents(model: string, reply: Reply): [string, Json][] {
  const events: [string, Json][] = [["message_start", {
    type: "message_start",
    message: {
      id: "msg_bench",
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input - usage.cached,
        cache_read_input_tokens: usage.cached,
        output_tokens: 1,
      },
    },
  }]];
  events.push(["content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "" },
  }]);
  for (const text of reply.pieces) {
    events.push(["content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text },
    }]);
  }
  events.push(["content_block_stop", { type: "content_block_stop", index: 0 }]);
  if (reply.tool) {
    events.push(["content_block_start", {
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "toolu_bench_1", name: reply.tool.name, input: {} },
    }]);
    for (const partial_json of reply.tool.fragments) {
      events.push(["content_block_delta", {
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json },
      }]);
    }
    events.push(["content_block_stop", { type: "content_block_stop", index: 1 }]);
  }
  events.push(["message_delta", {
    type: "message_delta",
    delta: { stop_reason: reply.tool ? "tool_use" : "end_turn", stop_sequence: null },
    usage: { output_tokens: usage.output },
  }]);
  events.push(["message_stop", { type: "message_stop" }]);
  return events;
}

function anthropicMessage(model: string, reply: Reply): Json {
  const content: Json[] = [{ type: "text", text: reply.text }];
  if (reply.tool) {
    content.push({ type: "tool_use", id: "toolu_bench_1", name: reply.tool.name, input: reply.tool.input });
  }
  return {
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.tool ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: usage.input - usage.cached,
      cache_read_input_tokens: usage.cached,
      output_tokens: usage.output,
    },
  };
}

const chatUsage = {
  prompt_tokens: usage.input,
  completion_tokens: usage.output,
  total_tokens: usage.input + usage.output,
  prompt_tokens_details: { cached_tokens: usage.cached },
};

function chatChunks(model: string, reply: Reply): Json[] {
  const base = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_763_700_000, model };
  const delta = (value: Json, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta: value, finish_reason: finish }],
  });
  const chunks: Json[] = [delta({ role: "assistant", content: "" })];
  for (const content of reply.pieces) chunks.push(delta({ content }));
  if (reply.tool) {
    chunks.push(delta({
      tool_calls: [{
        index: 0,
        id: "call_bench_1",
        type: "function",
        function: { name: reply.tool.name, arguments: "" },
      }],
    }));
    for (const args of reply.tool.fragments) {
      chunks.push(delta({ tool_calls: [{ index: 0, function: { arguments: args } }] }));
    }
  }
  chunks.push(delta({}, reply.tool ? "tool_calls" : "stop"));
  chunks.push({ ...base, choices: [], usage: chatUsage });
  return chunks;
}

function chatCompletion(model: string, reply: Reply): Json {
  const message: Json = { role: "assistant", content: reply.text };
  if (reply.tool) {
    message.tool_calls = [{
      id: "call_bench_1",
      type: "function",
      function: { name: reply.tool.name, arguments: JSON.stringify(reply.tool.input) },
    }];
  }
  return {
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_763_700_000,
    model,
    choices: [{ index: 0, message, finish_reason: reply.tool ? "tool_calls" : "stop" }],
    usage: chatUsage,
  };
}

const cache = new Map<string, Uint8Array<ArrayBuffer>[] | Uint8Array<ArrayBuffer>>();

function frames(key: string, make: () => string[]): Uint8Array<ArrayBuffer>[] {
  let found = cache.get(key) as Uint8Array<ArrayBuffer>[] | undefined;
  if (!found) cache.set(key, found = make().map((frame) => encoder.encode(frame)));
  return found;
}

function json(key: string, make: () => Json): Response {
  let found = cache.get(key) as Uint8Array<ArrayBuffer> | undefined;
  if (!found) cache.set(key, found = encoder.encode(JSON.stringify(make())));
  return new Response(found, { headers: { "content-type": "application/json" } });
}

/** One event per write: the next frame is enqueued only when the server pulls. */
function sse(chunks: Uint8Array<ArrayBuffer>[]): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

export async function answer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/zen/, "");
  if (request.method === "GET") {
    if (url.pathname === "/api.json") return Response.json(modelsDev());
    if (url.pathname === "/zen/models") {
      return Response.json({ object: "list", data: [{ id: "bench-zen-none" }] });
    }
    if (path === "/models") {
      return Response.json({ object: "list", data: allModelIds().map((id) => ({ id, object: "model" })) });
    }
    return new Response("not found", { status: 404 });
  }
  const text = await request.text();
  const gemini = path.match(/^\/models\/([^/:]+):streamGenerateContent$/);
  const body = gemini ? undefined : JSON.parse(text) as { model?: string; stream?: boolean };
  const model = gemini ? decodeURIComponent(gemini[1]) : String(body?.model);
  const reply = replyFor(model);
  if (!reply) return Response.json({ error: { message: `unknown model ${model}` } }, { status: 404 });
  const stream = gemini ? true : body?.stream === true;
  const key = `${path}|${model}|${stream}`;
  if (gemini) {
    return sse(
      frames(key, () => geminiChunks(model, reply).map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`)),
    );
  }
  if (path === "/messages") {
    if (!stream) return json(key, () => anthropicMessage(model, reply));
    return sse(
      frames(
        key,
        () =>
          anthropicEvents(model, reply).map(([name, event]) =>
            `event: ${name}\ndata: ${JSON.stringify(event)}\n\n`
          ),
      ),
    );
  }
  if (path === "/chat/completions") {
    if (!stream) return json(key, () => chatCompletion(model, reply));
    return sse(frames(key, () => [...chatChunks(model, reply).map(data), "data: [DONE]\n\n"]));
  }
  if (path === "/responses") {
    if (!stream) return json(key, () => responsesBody(model, reply));
    return sse(
      frames(
        key,
        () =>
          responsesEvents(model, reply).map((event) =>
            `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
          ),
      ),
    );
  }
  return Response.json({ error: { message: `unknown path ${path}` } }, { status: 404 });
}

if (import.meta.main) {
  Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  }, answer);
}
