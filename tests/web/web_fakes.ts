/**
 * Fakes for the web tools: a Tavily (search + extract), a SearXNG, a page server, and scripted upstreams of
 * each family whose model calls `web_search` / `web_fetch` until it has a result, then answers in text.
 */
import {
  dataFrames,
  namedFrames,
  type RecordedRequest,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";

export function startFakeTavily(hits = defaultHits) {
  return startFakeUpstream((request) => {
    if (request.headers.get("authorization") !== "Bearer tvly-test-key") {
      return Response.json({ detail: { error: "Unauthorized" } }, { status: 401 });
    }
    if (request.path === "/extract") {
      const urls = (request.body as { urls: string[] }).urls;
      return Response.json({
        results: urls.map((url) => ({ url, raw_content: `# Extracted\n\nText of ${url}` })),
        failed_results: [],
      });
    }
    return Response.json({
      query: (request.body as { query: string }).query,
      results: hits,
      response_time: 0.1,
    });
  });
}

export const defaultHits = [
  {
    title: "Deno 2.6",
    url: "https://deno.com/blog/v2.6",
    content: "Deno 2.6 adds a package manager UI.",
    score: 0.9,
  },
  {
    title: "Deno docs",
    url: "https://docs.deno.com/runtime/",
    content: "The Deno runtime manual.",
    score: 0.5,
  },
];

export function startFakeSearxng() {
  return startFakeUpstream((request) => {
    if (request.path !== "/search") return new Response("not found", { status: 404 });
    return Response.json({
      query: "q",
      number_of_results: 0,
      results: [
        {
          url: "https://example.org/a",
          title: "Example A",
          content: "Alpha snippet",
          engine: "ddg",
          publishedDate: "2026-11-20",
        },
        { url: "https://blocked.example.net/b", title: "Blocked B", content: "Beta snippet", engine: "ddg" },
      ],
    });
  });
}

/** What the model does this call: ask for a tool, or answer with text naming what it read. */
export type ModelStep =
  | { tool: "web_search"; query: string }
  | { tool: "web_fetch"; url: string }
  | { tool: string; input: Record<string, unknown> }
  | { text: string };

function stepInput(step: Exclude<ModelStep, { text: string }>): Record<string, unknown> {
  if ("input" in step) return step.input;
  if ("query" in step) return { query: step.query };
  return { url: (step as { url: string }).url };
}

/** Text of the last function results the upstream sent, in any family's shape. */
export function lastToolResultText(body: unknown): string {
  const text = JSON.stringify(body).replaceAll('\\"', '"').replaceAll("\\n", "\n");
  const markers = /Web search results|web_(search|fetch) failed|Content fetched|No web results/g;
  const found = [...text.matchAll(markers)].map((match) => text.slice(match.index, match.index + 400));
  return found.join(" | ");
}

const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

export function chatReply(step: ModelStep, usage = { prompt_tokens: 100, completion_tokens: 10 }): Response {
  const frames = "text" in step
    ? [chatChunk({ role: "assistant", content: step.text }), chatChunk({}, "stop")]
    : [
      chatChunk({ role: "assistant", content: "Let me check. " }),
      chatChunk({
        tool_calls: [{
          index: 0,
          id: `call_${crypto.randomUUID().slice(0, 8)}`,
          type: "function",
          function: { name: step.tool, arguments: "" },
        }],
      }),
      chatChunk({
        tool_calls: [{
          index: 0,
          function: {
            arguments: JSON.stringify(stepInput(step)),
          },
        }],
      }),
      chatChunk({}, "tool_calls"),
    ];
  return sseResponse([
    new TextEncoder().encode(dataFrames([...frames, { id: "chatcmpl-1", choices: [], usage }])),
  ]);
}

export function anthropicReply(step: ModelStep): Response {
  const start = {
    type: "message_start",
    message: {
      id: "msg_up",
      type: "message",
      role: "assistant",
      model: "m",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 1 },
    },
  };
  const events: { type: string; [key: string]: unknown }[] = [start];
  if ("text" in step) {
    events.push(
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: step.text } },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 10 },
      },
    );
  } else {
    const input = stepInput(step);
    events.push(
      {
        type: "content_block_start",
        index: 0,
        content_block: {
          type: "tool_use",
          id: `toolu_${crypto.randomUUID().slice(0, 8)}`,
          name: step.tool,
          input: {},
        },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(input) },
      },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 10 },
      },
    );
  }
  events.push({ type: "message_stop" });
  return sseResponse([new TextEncoder().encode(namedFrames(events))]);
}

export function responsesReply(step: ModelStep): Response {
  const output = "text" in step
    ? [{
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: step.text, annotations: [] }],
    }]
    : [{
      type: "function_call",
      id: "fc_1",
      call_id: "call_r1",
      name: step.tool,
      arguments: JSON.stringify(stepInput(step)),
      status: "completed",
    }];
  const response = {
    id: "resp_1",
    object: "response",
    status: "completed",
    model: "m",
    output,
    usage: { input_tokens: 100, output_tokens: 10, total_tokens: 110 },
  };
  const events: { type: string; [key: string]: unknown }[] = [
    { type: "response.created", response: { ...response, status: "in_progress", output: [] } },
  ];
  output.forEach((item, index) => {
    events.push({
      type: "response.output_item.added",
      output_index: index,
      item: { ...item, ...("content" in item ? { content: [] } : { arguments: "" }) },
    });
    if ("content" in item) {
      events.push({
        type: "response.output_text.delta",
        output_index: index,
        content_index: 0,
        item_id: item.id,
        delta: step && "text" in step ? step.text : "",
      });
    } else {
      events.push({
        type: "response.function_call_arguments.delta",
        output_index: index,
        item_id: item.id,
        delta: item.arguments,
      });
    }
    events.push({ type: "response.output_item.done", output_index: index, item });
  });
  events.push({ type: "response.completed", response });
  return sseResponse([new TextEncoder().encode(namedFrames(events))]);
}

export function geminiReply(step: ModelStep): Response {
  const part = "text" in step ? { text: step.text } : {
    functionCall: { name: step.tool, args: stepInput(step) },
  };
  const chunk = {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110 },
  };
  return sseResponse([new TextEncoder().encode(dataFrames([chunk], false))]);
}

/** A scripted model: `steps(request, call)` picks the step; the reply is in the request's family. */
export function scriptedModel(
  family: "openai-chat" | "anthropic" | "openai-responses" | "gemini",
  steps: (request: RecordedRequest, call: number) => ModelStep,
) {
  let calls = 0;
  const reply = {
    "openai-chat": chatReply,
    anthropic: anthropicReply,
    "openai-responses": responsesReply,
    gemini: geminiReply,
  }[family];
  return startFakeUpstream((request) => reply(steps(request, calls++)));
}
