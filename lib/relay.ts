/**
 * The one pipeline: hub request → upstream request → upstream SSE → hub events → client framing, or, when
 * the answering model speaks the client's own format, the client's request and the upstream's bytes passed
 * through. Either way the upstream call goes through sendUpstream (retries, fallbacks, x-upstream-url, the
 * request log) and the body through pumpStream (one watchdog per stream, one chunk per upstream read).
 */
import type { Config } from "./config.ts";
import { GatewayError, toGatewayError } from "./errors/gateway_error.ts";
import type { HubEvent, HubRequest } from "./formats/anthropic/schema.ts";
import type { ClientWriter, UpstreamCall, UpstreamFormat } from "./formats/wire_format.ts";
import { collectMessage } from "./hub/collect_message.ts";
import { HubStreamBuilder } from "./hub/stream_builder.ts";
import type { ResolvedModel } from "./catalog/types.ts";
import { noteEvent, noteUsage, trackStreamEnd } from "./log/observe_stream.ts";
import { noteCall, noteError, recordFor } from "./log/request_record.ts";
import { collectingWriter, hubStreamFilter } from "./stream/hub_filter.ts";
import { drainStream, pumpStream, readWholeBody, type StreamFilter } from "./stream/pump_stream.ts";
import { sendUpstream, upstreamHeaders } from "./upstream/send_upstream.ts";
import { totalTimeout } from "./upstream/total_timeout.ts";
import { applyUpstreamOverride } from "./upstream/upstream_override.ts";
import { prepareWebRequest } from "./web/prepare_web_request.ts";
import { relayWithWebTools } from "./web/web_tool_loop.ts";

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
  /**
   * The client's own JSON (Chat and Responses routes). When the model that answers speaks the client's
   * format it goes upstream as it is, model swapped, and the upstream's answer comes back as it is; a
   * fallback of another family is translated from `request` instead.
   */
  passthroughBody?: Record<string, unknown>;
}

/**
 * How a format's answer reaches this client: `passthrough` (the client's JSON up, the upstream's bytes
 * back), `bytes` (a request built from the hub, the upstream's stream passed through: Anthropic on both
 * sides), or `hub` (translated both ways).
 */
type RelayMode = "passthrough" | "bytes" | "hub";

function relayMode(format: UpstreamFormat, options: RelayOptions): RelayMode {
  if (options.client.format !== format.family) return "hub";
  if (format.buildPassthroughRequest) return options.passthroughBody ? "passthrough" : "hub";
  return format.createPassthroughFilter && options.stream ? "bytes" : "hub";
}

const decoder = new TextDecoder();

export function newMessageId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** Runs the exchange; errors before the first byte become an error Response in the client's format. */
export async function relay(input: RelayOptions): Promise<Response> {
  // Anthropic's web server tools run in their own loop (lib/web/); their history blocks are rewritten first.
  let web;
  try {
    web = prepareWebRequest(input.request);
  } catch (error) {
    return input.client.renderError(toGatewayError(error));
  }
  const options = web.request === input.request ? input : { ...input, request: web.request };
  if (web.specs) return await relayWithWebTools(options, web.specs);
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
      buildRequest: (format, call) =>
        relayMode(format, options) === "passthrough"
          ? format.buildPassthroughRequest!(options.passthroughBody!, call, options.stream)
          : format.buildRequest(options.request, call),
      signal,
      // A streamed upstream sends its headers at once, so CONNECT_TIMEOUT_MS catches a dead one quickly. A
      // non-streamed pass-through (the client's own `stream: false` JSON) gets its headers only once the
      // whole answer is generated, which may take minutes: it waits up to the exchange's total limit instead
      // (the total signal ends it first), so a long answer is not cut into a 504 and re-sent to a fallback.
      headersTimeoutMs: (format) =>
        !options.stream && relayMode(format, options) === "passthrough"
          ? config.TOTAL_TIMEOUT_MS
          : config.CONNECT_TIMEOUT_MS,
      resolveFallback: options.resolveFallback,
      prepareModel,
      record,
    });
    const { response, call, format: upstream } = sent;
    noteCall(record, options.request.model, call, options.stream);
    for (const [name, value] of upstreamHeaders(sent)) headers.set(name, value);
    const mode = relayMode(upstream, options);
    const timing = { idleTimeoutMs: config.IDLE_TIMEOUT_MS, pingIntervalMs: config.PING_INTERVAL_MS, abort };
    if (!options.stream) {
      const rendered = mode === "passthrough"
        ? passthroughAnswer(
          await readWholeBody(response.body!, timing),
          options.request.model,
          record && ((answer) => {
            const usage = upstream.passthroughAnswerUsage?.(answer);
            if (usage) noteUsage(record, usage);
          }),
        )
        : client.renderMessage(await collectHubMessage(response.body!, upstream, call, options, timing));
      if (record?.keepBodies) record.responseBody = rendered;
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify(rendered), { headers });
    }
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    const filter: StreamFilter = mode === "hub"
      ? hubStreamFilter({
        ...translator(upstream, call, options),
        writer: client.createStreamFromHub(),
        observe: record && ((event) => noteEvent(record, event)),
      })
      : upstream.createPassthroughFilter!(call, options.request.model, {
        clientBody: mode === "passthrough" ? options.passthroughBody : undefined,
        onUsage: record && ((usage) => noteUsage(record, usage)),
      });
    const settleLog = record ? trackStreamEnd(record, signal) : undefined;
    const body = pumpStream(response.body!, filter, {
      ...timing,
      onEnd: () => {
        settleLog?.();
        total.clear();
      },
    });
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

function translator(upstream: UpstreamFormat, call: UpstreamCall, options: RelayOptions) {
  const builder = new HubStreamBuilder({ messageId: newMessageId(), model: options.request.model });
  return { builder, toHub: upstream.createStreamToHub(builder, call) };
}

/** A non-stream call on the translated path: the upstream's stream collected as hub events, same watchdog. */
async function collectHubMessage(
  body: ReadableStream<Uint8Array>,
  upstream: UpstreamFormat,
  call: UpstreamCall,
  options: RelayOptions,
  timing: { idleTimeoutMs: number; abort: AbortController },
) {
  const record = recordFor(options.clientRequest);
  const events: HubEvent[] = [];
  const filter = hubStreamFilter({
    ...translator(upstream, call, options),
    writer: collectingWriter(events),
    observe: record && ((event) => noteEvent(record, event)),
  });
  // No pings: nothing has been sent to the client yet.
  await drainStream(pumpStream(body, filter, { ...timing, pingIntervalMs: timing.idleTimeoutMs }));
  return collectMessage(events);
}

/**
 * A non-stream pass-through answer: the upstream's JSON with the client's model name and without OpenCode's
 * `cost`, shown to `observe` first (the request log's usage). A 200 whose body is not a JSON object is the
 * upstream's fault, answered as a 502.
 */
function passthroughAnswer(
  bytes: Uint8Array,
  clientModel: string,
  observe?: (answer: Record<string, unknown>) => void,
): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    json = undefined;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new GatewayError("api_error", "Upstream answered 200 with a body that is not a JSON object", {
      status: 502,
    });
  }
  const answer = json as Record<string, unknown>;
  observe?.(answer);
  if (typeof answer.model === "string") answer.model = clientModel;
  // OpenCode's billing note, not part of the OpenAI shape.
  delete answer.cost;
  return answer;
}
