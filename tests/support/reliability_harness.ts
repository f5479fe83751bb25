/**
 * The gateway as a plain function over a scripted fake fetch, with tiny timeouts and captured log lines:
 * what the reliability tests drive. Upstream answers are built per family from upstream_scripts.ts.
 */
import { fakeDns } from "./fake_dns.ts";
import type { Family } from "../../lib/catalog/types.ts";
import { type Config, parseConfig } from "../../lib/config.ts";
import { testGateway } from "./log_tap.ts";
import { fakeCatalog, type FakeModel } from "./fake_catalog.ts";
import { renderScript, type Script } from "./upstream_scripts.ts";

export const GO_URL = "https://go.test/zen/go/v1";
export const ZEN_URL = "https://zen.test/zen/v1";

export const reliabilityModels: FakeModel[] = [
  { id: "kimi-k2.6", family: "openai-chat", image: true },
  { id: "glm-5.1", family: "openai-chat" },
  { id: "deepseek-v4-pro", family: "openai-chat" },
  { id: "minimax-m2.7", family: "anthropic" },
  { id: "gpt-5.5", family: "openai-responses", service: "zen" },
  { id: "gemini-3-flash", family: "gemini", service: "zen" },
];

export interface FetchCall {
  url: string;
  headers: Headers;
  body: Record<string, unknown> | undefined;
  signal: AbortSignal;
  /** performance.now() when the upstream fetch started and when its signal aborted. */
  startedAt: number;
  abortedAt?: number;
}

export type Responder = (call: FetchCall, index: number) => Response | Promise<Response>;

/** A fetch that records each call (and when its signal aborted) and answers through `respond`. */
export function fakeFetch(respond: Responder): { fetch: typeof fetch; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const signal = init.signal ?? new AbortController().signal;
    const call: FetchCall = {
      url: String(input),
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      signal,
      startedAt: performance.now(),
    };
    signal.addEventListener("abort", () => call.abortedAt = performance.now(), { once: true });
    calls.push(call);
    if (signal.aborted) throw signal.reason;
    return await respond(call, calls.length - 1);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** Never answers; rejects like fetch does once the signal aborts. */
export function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** A streamed upstream answer; `hold` keeps the body open (silent) after the frames until aborted. */
export function streamResponse(
  frames: string[],
  options: { hold?: boolean; signal?: AbortSignal; onCancel?: () => void } = {},
): Response {
  const encoder = new TextEncoder();
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index < frames.length) {
        controller.enqueue(encoder.encode(frames[index++]));
        return;
      }
      if (options.hold && options.signal) await hangUntilAborted(options.signal).catch(() => {});
      controller.close();
    },
    cancel() {
      options.onCancel?.();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** The family's upstream stream for a script (default: one short text answer). */
export function scriptedAnswer(family: Family, script: Partial<Script> = {}): Response {
  const full: Script = {
    parts: [{ kind: "text", chunks: ["Hello", " world"] }],
    finish: "end",
    usage: { input: 12, output: 3 },
    ...script,
  };
  return streamResponse(renderScript(family, full));
}

/** Which family a fake upstream URL is for, from its endpoint path. */
export function familyOfUrl(url: string): Family {
  if (url.includes(":streamGenerateContent")) return "gemini";
  if (url.endsWith("/responses")) return "openai-responses";
  if (url.endsWith("/messages")) return "anthropic";
  return "openai-chat";
}

/** An OpenCode-style error answer (Anthropic envelope). */
export function opencodeError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
  metadata?: Record<string, unknown>,
): Response {
  return Response.json(
    { type: "error", error: { type, message, ...(metadata ? { metadata } : {}) } },
    { status, headers },
  );
}

export const TEST_SETTINGS: Record<string, string> = {
  OPENCODE_GO_URL: GO_URL,
  OPENCODE_ZEN_URL: ZEN_URL,
  CONNECT_TIMEOUT_MS: "200",
  IDLE_TIMEOUT_MS: "200",
  TOTAL_TIMEOUT_MS: "5000",
  PING_INTERVAL_MS: "10000",
  RETRIES: "2",
  RETRY_BASE_DELAY_MS: "1",
  RETRY_AFTER_CAP_MS: "40",
  LOG_LEVEL: "debug",
};

export interface Harness {
  handler: (request: Request) => Promise<Response>;
  calls: FetchCall[];
  logs: string[];
  config: Config;
}

export function makeGateway(settings: Record<string, string>, respond: Responder): Harness {
  const config = parseConfig({ ...TEST_SETTINGS, ...settings });
  const { fetch, calls } = fakeFetch(respond);
  const logs: string[] = [];
  const catalog = fakeCatalog(reliabilityModels, { go: GO_URL, zen: ZEN_URL });
  // The test asserts on `logs`; every line also goes to the run's log tap (tests/support/log_tap.ts).
  const handler = testGateway(config, {
    fetch,
    catalog,
    resolveDns: fakeDns(),
    log: (line) => logs.push(line),
  });
  return { handler, calls, logs, config };
}

export interface MessagesOptions {
  key?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  path?: string;
  method?: string;
}

/** `POST /v1/messages` with a JSON body (a string body is sent as is). */
export function messagesRequest(body: unknown, options: MessagesOptions = {}): Request {
  const headers = new Headers({ "content-type": "application/json", ...options.headers });
  if (options.key !== undefined) headers.set("x-api-key", options.key);
  return new Request(`http://gateway.test${options.path ?? "/v1/messages"}`, {
    method: options.method ?? "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: options.signal,
  });
}

export function simpleBody(
  model = "kimi-k2.6",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { model, max_tokens: 100, messages: [{ role: "user", content: "Hi" }], ...extra };
}

/** Reads an SSE body to the end and returns the `data:` objects in order. */
export async function readSse(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text.split("\n\n").filter((frame) => frame.includes("data: ")).map((frame) =>
    JSON.parse(
      frame.split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join(""),
    )
  );
}

/** Resolves once `predicate` holds, checking every millisecond; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 1_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error("Condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
