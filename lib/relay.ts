/**
 * The one pipeline: hub request → upstream request → upstream SSE → hub events → client framing.
 * Streams use a single pull loop per response: each upstream read is decoded, translated and written as
 * one chunk, which keeps the per-token cost down to the per-read overhead.
 */
import type { Config } from "./config.ts";
import { GatewayError, toGatewayError } from "./errors/gateway_error.ts";
import type { HubEvent, HubRequest } from "./formats/anthropic/schema.ts";
import type { ClientWriter, StreamFromHub, StreamToHub, UpstreamCall } from "./formats/wire_format.ts";
import { collectMessage } from "./hub/collect_message.ts";
import { HubStreamBuilder } from "./hub/stream_builder.ts";
import { SseDecoder, type SseEvent } from "./sse/sse_decoder.ts";
import type { ResolvedModel } from "./catalog/types.ts";
import { observeBatches, observeBody } from "./log/observe_batches.ts";
import { noteCall, noteError, recordFor } from "./log/request_record.ts";
import { sendUpstream, upstreamHeaders } from "./upstream/send_upstream.ts";
import { totalTimeout, whenBodyEnds } from "./upstream/total_timeout.ts";
import { applyUpstreamOverride } from "./upstream/upstream_override.ts";

export interface RelayOptions {
  config: Config;
  fetch: typeof fetch;
  request: HubRequest;
  call: UpstreamCall;
  client: ClientWriter;
  /** The client's own request: its signal aborts the upstream. */
  clientRequest: Request;
  stream: boolean;
  /** Extra response headers (which service answered, vision re-route…). */
  headers?: HeadersInit;
  /** Resolves a MODEL_FALLBACKS name (the route's catalog lookup); without it no fallback is tried. */
  resolveFallback?: (name: string) => Promise<ResolvedModel>;
}

const encoder = new TextEncoder();

export function newMessageId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** Runs the exchange; errors before the first byte become an error Response in the client's format. */
export async function relay(options: RelayOptions): Promise<Response> {
  const { config, client } = options;
  const record = recordFor(options.clientRequest);
  const abort = new AbortController();
  // Cleared when the exchange ends (AbortSignal.timeout would hold memory for the whole limit).
  const total = totalTimeout(config.TOTAL_TIMEOUT_MS);
  const signal = AbortSignal.any([options.clientRequest.signal, abort.signal, total.signal]);
  const headers = new Headers(options.headers);
  let streaming = false;
  try {
    // Retries and fallbacks happen in here, before any byte reaches the client; never after.
    const prepareModel = (model: ResolvedModel) =>
      applyUpstreamOverride(model, options.clientRequest.headers, config);
    const primary = { ...options.call, model: prepareModel(options.call.model) };
    noteCall(record, options.request.model, primary, options.stream);
    const sent = await sendUpstream({
      config,
      fetch: options.fetch,
      request: options.request,
      call: primary,
      signal,
      resolveFallback: options.resolveFallback,
      prepareModel,
      record,
    });
    const { response, call, format: upstream } = sent;
    noteCall(record, options.request.model, call, options.stream);
    for (const [name, value] of upstreamHeaders(sent)) headers.set(name, value);
    const builder = new HubStreamBuilder({ messageId: newMessageId(), model: options.request.model });
    const toHub = upstream.createStreamToHub(builder, call);
    const batches = readHubBatches(response.body!, builder, toHub, config.IDLE_TIMEOUT_MS);
    if (!options.stream) {
      const events: HubEvent[] = [];
      for await (const batch of observeBatches(batches, record, signal)) events.push(...batch);
      headers.set("content-type", "application/json");
      const rendered = client.renderMessage(collectMessage(events));
      if (record?.keepBodies) record.responseBody = rendered;
      return new Response(JSON.stringify(rendered), { headers });
    }
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    // Same format on both sides (an Anthropic client on MiniMax): the upstream's bytes, not hub events.
    const body = upstream.relayPassthrough && client.format === upstream.family
      ? observeBody(
        upstream.relayPassthrough(response.body!, {
          model: options.request.model,
          idleTimeoutMs: config.IDLE_TIMEOUT_MS,
          pingIntervalMs: config.PING_INTERVAL_MS,
          abort,
        }),
        record,
        signal,
        total.clear,
      )
      : whenBodyEnds(
        streamBatches(
          observeBatches(batches, record, signal),
          client.createStreamFromHub(),
          config.PING_INTERVAL_MS,
          abort,
        ),
        total.clear,
      );
    streaming = true;
    return new Response(body, { headers });
  } catch (error) {
    abort.abort();
    const gatewayError = toGatewayError(error);
    noteError(record, gatewayError);
    const failure = client.renderError(gatewayError);
    if (record?.retries) failure.headers.set("x-opencode-retries", String(record.retries));
    return failure;
  } finally {
    if (!streaming) total.clear();
  }
}

/** Upstream body → batches of hub events, one batch per upstream read. Never throws: faults become `error` events. */
export async function* readHubBatches(
  body: ReadableStream<Uint8Array>,
  builder: HubStreamBuilder,
  toHub: StreamToHub,
  idleTimeoutMs: number,
): AsyncGenerator<HubEvent[]> {
  const reader = body.getReader();
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  try {
    while (!builder.finished) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await readWithIdleTimeout(reader, idleTimeoutMs);
      } catch (error) {
        const gatewayError = error instanceof GatewayError
          ? error
          : error instanceof DOMException && error.name === "TimeoutError"
          ? new GatewayError("timeout_error", "Request exceeded the gateway's total time limit")
          : new GatewayError("api_error", `Upstream connection lost: ${(error as Error).message}`);
        builder.fail(gatewayError.kind, gatewayError.message);
        yield builder.sink.splice(0);
        return;
      }
      if (result.done) decoder.end(events);
      else decoder.push(result.value, events);
      for (const event of events) {
        if (builder.finished) break;
        try {
          toHub.push(event);
        } catch (error) {
          builder.fail("api_error", `Malformed upstream event: ${(error as Error).message}`);
        }
      }
      events.length = 0;
      if (result.done) {
        try {
          toHub.end?.();
        } catch (error) {
          builder.fail("api_error", `Malformed upstream event: ${(error as Error).message}`);
        }
        builder.end();
      }
      if (builder.sink.length > 0) yield builder.sink.splice(0);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
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

/**
 * Hub batches → client bytes, with pings while the upstream is silent. Cancelling the body (client gone)
 * aborts the upstream fetch at once, even while a read is pending.
 */
export function streamBatches(
  batches: AsyncGenerator<HubEvent[]>,
  writer: StreamFromHub,
  pingIntervalMs: number,
  abort: AbortController,
): ReadableStream<Uint8Array> {
  let pending: Promise<IteratorResult<HubEvent[]>> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull must enqueue or close: the stream never calls it again after one that produced nothing
      // (a batch a writer renders as "", e.g. a chat client's message_start).
      while (true) {
        pending ??= batches.next();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = new Promise<"ping">((resolve) => {
          timer = setTimeout(() => resolve("ping"), pingIntervalMs);
        });
        const result = await Promise.race([pending, tick]);
        clearTimeout(timer);
        if (result === "ping") {
          controller.enqueue(encoder.encode(writer.ping()));
          return;
        }
        pending = undefined;
        if (result.done) {
          controller.close();
          return;
        }
        const text = writer.write(result.value);
        if (text.length > 0) {
          controller.enqueue(encoder.encode(text));
          return;
        }
      }
    },
    async cancel() {
      abort.abort();
      await batches.return(undefined).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
