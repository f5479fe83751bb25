/**
 * Same-format relay: a Chat client to a chat-family model (and, through `relayPassthrough`, a Responses
 * client to a responses-family model). The client's JSON goes upstream with only the model rewritten, and the
 * upstream's SSE bytes come back as they are, minus what follows the terminal frame (OpenCode's cost chunk).
 */
import type { ResolvedModel } from "../../catalog/types.ts";
import type { Config } from "../../config.ts";
import { type ErrorKind, GatewayError, toGatewayError } from "../../errors/gateway_error.ts";
import { renderError } from "../../errors/render_error.ts";
import { SseDecoder, type SseEvent } from "../../sse/sse_decoder.ts";
import { fetchUpstream } from "../../upstream/fetch_upstream.ts";
import { retryDecision, sleep } from "../../upstream/retry_policy.ts";
import type { ClientFormat, UpstreamRequest } from "../wire_format.ts";
import { OPENAI_PING, openaiStreamErrorFrame } from "./stream_from_hub.ts";

export const USER_AGENT = "opencode-bridge/0.1.0";

const encoder = new TextEncoder();

/** Decides, frame by frame, what of the upstream stream reaches the client. */
export interface PassthroughFilter {
  /** Bytes to send for one upstream event, or undefined to drop it. */
  event(event: SseEvent): Uint8Array | undefined;
  /** True once the terminal frame went through: everything after it is dropped. */
  readonly done: boolean;
  /** What to send when the upstream stream stops before its terminal frame. */
  cut(kind: ErrorKind, message: string): string;
}

export interface PassthroughOptions {
  config: Config;
  fetch: typeof fetch;
  clientRequest: Request;
  format: ClientFormat;
  model: ResolvedModel;
  /** `/chat/completions` or `/responses`. */
  path: string;
  apiKey: string;
  sessionId: string;
  /** The client's JSON with the upstream model already in place. */
  body: Record<string, unknown>;
  stream: boolean;
  filter: () => PassthroughFilter;
}

export interface ChatPassthroughOptions
  extends Omit<PassthroughOptions, "format" | "path" | "filter" | "body"> {
  body: Record<string, unknown>;
  /** The client asked for the usage chunk itself (otherwise the one the gateway asked for is dropped). */
  includeUsage: boolean;
}

/** Chat client → chat upstream; `stream_options.include_usage` is always asked for so usage gets logged. */
export function relayOpenaiChatPassthrough(options: ChatPassthroughOptions): Promise<Response> {
  const body: Record<string, unknown> = { ...options.body, model: options.model.upstreamModel };
  if (options.stream) {
    const streamOptions = typeof body.stream_options === "object" && body.stream_options !== null
      ? body.stream_options
      : {};
    body.stream_options = { ...streamOptions, include_usage: true };
  }
  return relayPassthrough({
    ...options,
    body,
    format: "openai-chat",
    path: "/chat/completions",
    filter: () => chatPassthroughFilter(options.model, options.includeUsage),
  });
}

/** Forwards the request; errors before the first byte are an OpenAI-shaped error Response. */
export async function relayPassthrough(options: PassthroughOptions): Promise<Response> {
  const { config, model } = options;
  const abort = new AbortController();
  const signal = AbortSignal.any([
    options.clientRequest.signal,
    abort.signal,
    AbortSignal.timeout(config.TOTAL_TIMEOUT_MS),
  ]);
  const headers = new Headers({
    "x-opencode-service": model.service,
    "x-opencode-family": model.family,
    "x-opencode-upstream-model": model.upstreamModel,
  });
  try {
    const response = await fetchWithRetries(passthroughRequest(options), options, signal);
    if (!options.stream) {
      const json = await response.json() as Record<string, unknown>;
      if (json && typeof json === "object") {
        json.model = model.requested;
        // OpenCode's billing note, not part of the OpenAI shape.
        delete json.cost;
      }
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify(json), { headers });
    }
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    return new Response(streamFiltered(response.body!, options.filter(), config, abort), { headers });
  } catch (error) {
    abort.abort();
    return renderError(toGatewayError(error), options.format);
  }
}

function passthroughRequest(options: PassthroughOptions): UpstreamRequest {
  return {
    url: `${options.model.baseUrl.replace(/\/+$/, "")}${options.path}`,
    headers: new Headers({
      "authorization": `Bearer ${options.apiKey}`,
      "content-type": "application/json",
      "accept": options.stream ? "text/event-stream" : "application/json",
      "user-agent": USER_AGENT,
      // OpenCode Go answers 400 MissingSessionID without it.
      "x-opencode-session": options.sessionId,
      "x-opencode-client": "opencode-bridge",
    }),
    body: JSON.stringify(options.body),
  };
}

async function fetchWithRetries(
  request: UpstreamRequest,
  options: PassthroughOptions,
  signal: AbortSignal,
): Promise<Response> {
  const policy = {
    retries: options.config.RETRIES,
    baseDelayMs: options.config.RETRY_BASE_DELAY_MS,
    capMs: options.config.RETRY_AFTER_CAP_MS,
  };
  for (let attempt = 0;; attempt++) {
    try {
      return await fetchUpstream(request, {
        fetch: options.fetch,
        signal,
        connectTimeoutMs: options.config.CONNECT_TIMEOUT_MS,
      });
    } catch (error) {
      const gatewayError = toGatewayError(error);
      const decision = retryDecision(gatewayError, attempt, policy);
      if (decision.action !== "retry") throw gatewayError;
      await sleep(decision.delayMs, signal).catch(() => {
        throw gatewayError;
      });
    }
  }
}

/**
 * One upstream read → one enqueue of the frames the filter keeps, with pings while the upstream is silent.
 * Cancelling the body (client gone) aborts the upstream fetch.
 */
function streamFiltered(
  body: ReadableStream<Uint8Array>,
  filter: PassthroughFilter,
  config: Config,
  abort: AbortController,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    controller.close();
    reader.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (true) {
        pending ??= readWithIdleTimeout(reader, config.IDLE_TIMEOUT_MS);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = new Promise<"ping">((resolve) => {
          timer = setTimeout(() => resolve("ping"), config.PING_INTERVAL_MS);
        });
        let result: ReadableStreamReadResult<Uint8Array> | "ping";
        try {
          result = await Promise.race([pending, tick]);
        } catch (error) {
          const cut = error instanceof GatewayError
            ? error
            : new GatewayError("api_error", `Upstream connection lost: ${(error as Error).message}`);
          controller.enqueue(encoder.encode(filter.cut(cut.kind, cut.message)));
          finish(controller);
          return;
        } finally {
          clearTimeout(timer);
        }
        if (result === "ping") {
          controller.enqueue(encoder.encode(OPENAI_PING));
          return;
        }
        pending = undefined;
        if (result.done) decoder.end(events);
        else decoder.push(result.value, events);
        const parts: Uint8Array[] = [];
        for (const event of events) {
          if (filter.done) break;
          const bytes = filter.event(event);
          if (bytes) parts.push(bytes);
        }
        events.length = 0;
        if (result.done && !filter.done) {
          parts.push(encoder.encode(filter.cut("api_error", "Upstream stream ended before completion")));
        }
        if (parts.length > 0) controller.enqueue(parts.length === 1 ? parts[0] : concat(parts));
        if (filter.done || result.done) {
          finish(controller);
          return;
        }
        if (parts.length > 0) return;
      }
    },
    cancel() {
      abort.abort();
      reader.cancel().catch(() => {});
    },
  }, { highWaterMark: 0 });
}

async function readWithIdleTimeout(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleTimeoutMs: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayError("timeout_error", `Upstream sent nothing for ${idleTimeoutMs} ms`)),
      idleTimeoutMs,
    );
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Replaces the first `"model":"<upstream>"` with the client's name, without parsing the frame. */
export function modelRenamer(model: ResolvedModel): (data: string) => string | undefined {
  if (model.requested === model.upstreamModel) return () => undefined;
  const from = `"model":${JSON.stringify(model.upstreamModel)}`;
  const to = `"model":${JSON.stringify(model.requested)}`;
  return (data) => (data.includes(from) ? data.replace(from, to) : undefined);
}

const DONE = encoder.encode("data: [DONE]\n\n");

/**
 * Chat frames: `[DONE]` ends the stream (OpenCode's cost chunk follows it); the usage-only chunk the gateway
 * asked for is dropped unless the client asked too. A stream that finished but lost its `[DONE]` gets one.
 */
export function chatPassthroughFilter(model: ResolvedModel, includeUsage: boolean): PassthroughFilter {
  const rename = modelRenamer(model);
  let done = false;
  let finished = false;
  return {
    get done() {
      return done;
    },
    event(event) {
      if (event.data === "[DONE]") {
        done = true;
        return DONE;
      }
      if (!includeUsage && isUsageOnly(event.data)) return undefined;
      if (!finished && event.data.includes('"finish_reason":"')) finished = true;
      const renamed = rename(event.data);
      return renamed === undefined ? event.raw : encoder.encode(`data: ${renamed}\n\n`);
    },
    cut(kind, message) {
      done = true;
      return finished ? "data: [DONE]\n\n" : openaiStreamErrorFrame(kind, message);
    },
  };
}

function isUsageOnly(data: string): boolean {
  if (!data.includes('"choices":[]')) return false;
  try {
    const chunk = JSON.parse(data) as { choices?: unknown[]; usage?: unknown; error?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.error === undefined;
  } catch {
    return false;
  }
}
