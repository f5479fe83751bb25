/**
 * One loopback server playing five kinds of provider: an OpenRouter-style chat API (`/openrouter/api/v1`), an
 * Anthropic-format API (`/anthropic/v1`), a Responses API (`/responses/v1`) and Azure OpenAI
 * (`/azure/openai/deployments/<deployment>/chat/completions?api-version=…`, key in `api-key`), and a Gemini
 * API (`/gemini/v1beta/models/<model>:streamGenerateContent?alt=sse`, key in `x-goog-api-key`). Each answers
 * one text turn naming itself (streamed when asked), and 401s a request without its own key, so a test sees which service
 * got which key. Every request is recorded with its full URL and headers.
 */
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { type Config, loadConfig } from "../../lib/config.ts";
import { dataFrames, namedFrames, serveGateway } from "./fake_upstream.ts";
import { testGateway } from "./log_tap.ts";

export interface ProviderCall {
  method: string;
  /** Path and query, e.g. `/azure/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21`. */
  url: string;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

export interface FakeProviders {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  calls: ProviderCall[];
  close(): Promise<void>;
}

export const providerKeys = {
  openrouter: "sk-or-v1-fake-openrouter-key-0001",
  anthropic: "sk-ant-fake-anthropic-key-0002",
  responses: "sk-fake-responses-key-0003",
  azure: "fake-azure-key-0004",
  gemini: "AIzaFakeGeminiKey0005",
} as const;

/** The text each fake answers with. */
export function replyOf(service: keyof typeof providerKeys): string {
  return `Hello from the ${service} fake`;
}

type Frame = { type: string; [key: string]: unknown };

function sse(text: string): Response {
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

function unauthorized(): Response {
  return Response.json({ error: { message: "Invalid API key", type: "authentication_error" } }, {
    status: 401,
  });
}

function chatStream(model: string, text: string, stream: boolean): Response {
  const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };
  if (!stream) {
    return Response.json({
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 1,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      usage,
    });
  }
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1, model };
  return sse(dataFrames([
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage },
  ]));
}

function anthropicStream(model: string, text: string): Response {
  const usage = { input_tokens: 12, output_tokens: 0 };
  const frames: Frame[] = [
    {
      type: "message_start",
      message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], usage },
    },
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
    { type: "content_block_stop", index: 0 },
    {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 5 },
    },
    { type: "message_stop" },
  ];
  return sse(namedFrames(frames));
}

function responsesStream(model: string, text: string, stream: boolean): Response {
  const response = { id: "resp_fake", object: "response", model, status: "in_progress", output: [] };
  const base = { item_id: "msg_fake", output_index: 0, content_index: 0 };
  const part = { type: "output_text", text, annotations: [] };
  const item = { type: "message", id: "msg_fake", role: "assistant", status: "completed", content: [part] };
  const usage = { input_tokens: 12, output_tokens: 5, total_tokens: 17 };
  if (!stream) return Response.json({ ...response, status: "completed", output: [item], usage });
  const frames: Frame[] = [
    { type: "response.created", response },
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { ...item, status: "in_progress", content: [] },
    },
    { type: "response.content_part.added", ...base, part: { ...part, text: "" } },
    { type: "response.output_text.delta", ...base, delta: text },
    { type: "response.output_text.done", ...base, text },
    { type: "response.content_part.done", ...base, part },
    { type: "response.output_item.done", output_index: 0, item },
    { type: "response.completed", response: { ...response, status: "completed", output: [item], usage } },
  ];
  return sse(namedFrames(frames));
}

function geminiStream(text: string): Response {
  const chunk = {
    candidates: [{ index: 0, content: { role: "model", parts: [{ text }] }, finishReason: "STOP" }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 5, totalTokenCount: 17 },
  };
  return sse(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
}

export function startFakeProviders(): FakeProviders {
  const calls: ProviderCall[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    const text = await request.text();
    const body = text ? JSON.parse(text) as Record<string, unknown> : undefined;
    calls.push({ method: request.method, url: url.pathname + url.search, headers: request.headers, body });
    const model = String(body?.model ?? "");
    const bearer = request.headers.get("authorization");
    const path = url.pathname;
    if (path === "/openrouter/api/v1/chat/completions") {
      if (bearer !== `Bearer ${providerKeys.openrouter}`) return unauthorized();
      return chatStream(model, replyOf("openrouter"), body?.stream === true);
    }
    if (path === "/anthropic/v1/messages") {
      if (request.headers.get("x-api-key") !== providerKeys.anthropic) return unauthorized();
      return anthropicStream(model, replyOf("anthropic"));
    }
    if (path === "/responses/v1/responses") {
      if (bearer !== `Bearer ${providerKeys.responses}`) return unauthorized();
      return responsesStream(model, replyOf("responses"), body?.stream === true);
    }
    if (/^\/gemini\/v1beta\/models\/[^/]+:streamGenerateContent$/.test(path)) {
      if (request.headers.get("x-goog-api-key") !== providerKeys.gemini || bearer) return unauthorized();
      if (url.searchParams.get("alt") !== "sse") return unauthorized();
      return geminiStream(replyOf("gemini"));
    }
    if (/^\/azure\/openai\/deployments\/[^/]+\/chat\/completions$/.test(path)) {
      if (request.headers.get("api-key") !== providerKeys.azure || bearer) return unauthorized();
      if (!url.searchParams.get("api-version")) {
        return Response.json({ error: { message: "Missing api-version" } }, { status: 404 });
      }
      return chatStream(model, replyOf("azure"), body?.stream === true);
    }
    return Response.json({ error: { message: `No route ${request.method} ${path}` } }, { status: 404 });
  });
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    calls,
    close: () => server.shutdown(),
  };
}

export interface ProviderGateway {
  url: string;
  fake: FakeProviders;
  config: Config;
  /** The gateway's log lines (also teed to the test log tap). */
  lines: string[];
}

/**
 * A gateway on 127.0.0.1 whose CONFIG_FILE holds `fileText(fake.origin)`, loaded as main.ts loads it, with the
 * real catalog (offline: the bundled snapshot) and the five fakes behind it. Everything is closed afterwards.
 */
export async function withProviderGateway(
  fileText: (origin: string) => string,
  fn: (setup: ProviderGateway) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const fake = startFakeProviders();
  const file = await Deno.makeTempFile({ suffix: ".jsonc" });
  await Deno.writeTextFile(file, fileText(fake.origin));
  const lines: string[] = [];
  try {
    const config = await loadConfig({ CONFIG_FILE: file, LOG_LEVEL: "debug", ...env });
    const catalog = createCatalog(config, {
      fetch: () => Promise.reject(new TypeError("offline")),
      log: () => {},
    });
    const gateway = serveGateway(testGateway(config, { catalog, log: (line) => lines.push(line) }));
    try {
      await fn({ url: gateway.url, fake, config, lines });
    } finally {
      await catalog.settled();
      await gateway.close();
    }
  } finally {
    await fake.close();
    await Deno.remove(file);
  }
}

/** The request log lines (one per request), parsed. */
export function requestLines(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line)).filter((line) => line.msg === "request");
}
