/**
 * The one pipeline: hub request → upstream request → upstream SSE → hub events → client framing, or, when
 * the answering model speaks the client's own format, the client's request and the upstream's bytes passed
 * through. Either way the upstream call goes through sendUpstream (retries, fallbacks, x-upstream-url, the
 * request log) and the body through pumpStream (one watchdog per stream, one chunk per upstream read).
 */
import { GatewayError, toGatewayError } from "./errors/gateway_error.ts";
import type { HubEvent } from "./hub/schema.ts";
import type { UpstreamCall, UpstreamFormat } from "./hub/wire_format.ts";
import { upstreamFormats } from "./formats/registry.ts";
import { collectMessage } from "./hub/collect_message.ts";
import { HubStreamBuilder } from "./hub/stream_builder.ts";
import { noteCost, noteCostFrames, noteEvent, noteUsage, trackStreamEnd } from "./log/observe_stream.ts";
import { noteCall, noteError, recordFor, type RequestRecord } from "./log/request_record.ts";
import { collectingWriter, hubStreamFilter } from "./hub/hub_filter.ts";
import {
  drainStream,
  type PumpOptions,
  pumpStream,
  readWholeBody,
  type StreamFilter,
} from "./stream/pump_stream.ts";
import { sendUpstream, upstreamHeaders } from "./upstream/send_upstream.ts";
import { exchangeSignal } from "./upstream/total_timeout.ts";
import { type OverrideTarget, resolveUpstreamOverride } from "./upstream/resolve_override.ts";
import { streamSecrets } from "./upstream/stream_secrets.ts";
import { upstreamLabel } from "./upstream/upstream_fault.ts";
import { withOverride } from "./upstream/upstream_override.ts";
import { prepareWebRequest } from "./web/prepare_web_request.ts";
import { runsServerToolsNatively } from "./web/native_server_tools.ts";
import { relayWithWebTools } from "./web/web_tool_loop.ts";
import type { RelayOptions } from "./relay_options.ts";

const decoder = new TextDecoder();

export function newMessageId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

export type { RelayOptions };

/** Runs the exchange; errors before the first byte become an error Response in the client's format. */
export async function relay(input: RelayOptions): Promise<Response> {
  // Anthropic's web server tools run in their own loop (lib/web/); their history blocks are rewritten first.
  let web;
  try {
    web = prepareWebRequest(input.request.hub, runsServerToolsNatively(input));
  } catch (error) {
    return input.client.renderError(toGatewayError(error));
  }
  // A rewritten history goes upstream from the hub, never as the client's own JSON.
  const options = web.request === input.request.hub
    ? input
    : { ...input, request: { ...input.request, hub: web.request, clientBody: undefined } };
  if (web.specs) return await relayWithWebTools(options, web.specs);
  const { config, client } = options;
  const record = recordFor(options.clientRequest);
  // The total timer is cleared when the exchange ends (AbortSignal.timeout would hold memory for the limit).
  const { abort, total, signal } = exchangeSignal(options.clientRequest.signal, config.TOTAL_TIMEOUT_MS);
  // A plain record until the Response is built: copying a Headers object costs ~5 µs, a record ~1 µs.
  const headers: Record<string, string> = { ...options.headers };
  let streaming = false;
  let override: OverrideTarget | undefined;
  const { request } = options;
  const clientModel = request.hub.model;
  try {
    // Checked down to the addresses it resolves to (403 for a private one), and pinned to them where possible.
    override = await resolveUpstreamOverride(options.clientRequest.headers, config, {
      fetch: options.fetch,
      resolveDns: options.resolveDns,
      signal,
    });
    const overrideBaseUrl = override?.baseUrl;
    const primary = {
      ...options.call,
      model: withOverride(options.call.model, overrideBaseUrl),
    };
    noteCall(record, clientModel, primary, request.stream);
    // Retries and fallbacks happen in here, before any byte reaches the client; never after.
    const sent = await sendUpstream({
      config,
      fetch: override?.fetch ?? options.fetch,
      formats: upstreamFormats,
      request,
      client: client.format,
      call: primary,
      signal,
      fallbacks: options.fallbacks,
      overrideBaseUrl,
      record,
    });
    const { response, call, format: upstream, mode } = sent;
    noteCall(record, clientModel, call, request.stream);
    for (const [name, value] of upstreamHeaders(sent)) headers[name] = value;
    const label = upstreamLabel(call.model.service, call.model.baseUrl);
    const secrets = streamSecrets(config, options.clientRequest.headers, call.apiKey);
    // A streamed answer is passed on as it arrives (one read held at a time); a collected one is capped whole.
    const eventLimits = { maxEventBytes: config.UPSTREAM_EVENT_LIMIT_BYTES, label };
    const answerLimits = { ...eventLimits, maxTotalBytes: config.UPSTREAM_ANSWER_LIMIT_BYTES };
    const timing = {
      idleTimeoutMs: config.IDLE_TIMEOUT_MS,
      pingIntervalMs: config.PING_INTERVAL_MS,
      abort,
      limits: request.stream ? eventLimits : answerLimits,
    };
    if (!request.stream) {
      const rendered = mode === "passthrough"
        ? passthroughAnswer(
          // One JSON document, not SSE: only the total applies.
          await readWholeBody(response.body!, {
            ...timing,
            limits: { ...answerLimits, maxEventBytes: undefined },
          }),
          clientModel,
          record && ((answer) => {
            const usage = upstream.passthroughAnswerUsage?.(answer);
            if (usage) noteUsage(record, usage);
            noteCost(record, answer.cost);
          }),
        )
        : client.renderMessage(
          await collectHubMessage(
            response.body!,
            translator(upstream, call, clientModel, secrets),
            record,
            timing,
            options.clientRequest.signal,
          ),
        );
      if (record?.keepBodies) record.responseBody = rendered;
      headers["content-type"] = "application/json";
      return new Response(JSON.stringify(rendered), { headers });
    }
    headers["content-type"] = "text/event-stream; charset=utf-8";
    headers["cache-control"] = "no-cache";
    const filter: StreamFilter = mode === "hub"
      ? hubStreamFilter({
        ...translator(upstream, call, clientModel, secrets),
        writer: client.createStreamFromHub(),
        observe: record && ((event) => noteEvent(record, event)),
      })
      : upstream.createPassthroughFilter!(call, clientModel, {
        clientBody: mode === "passthrough" ? request.clientBody : undefined,
        onUsage: record && ((usage) => noteUsage(record, usage)),
        secrets,
      });
    const settleLog = record ? trackStreamEnd(record, signal) : undefined;
    const body = pumpStream(response.body!, filter, {
      ...timing,
      tail: record && noteCostFrames(record),
      onEnd: () => {
        settleLog?.();
        total.clear();
        override?.close();
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
    if (!streaming) {
      total.clear();
      override?.close();
    }
  }
}

function translator(upstream: UpstreamFormat, call: UpstreamCall, clientModel: string, secrets: string[]) {
  const builder = new HubStreamBuilder({ messageId: newMessageId(), model: clientModel });
  return { builder, toHub: upstream.createStreamToHub(builder, call), secrets };
}

/** A non-stream call on the translated path: the upstream's stream collected as hub events, same watchdog. */
async function collectHubMessage(
  body: ReadableStream<Uint8Array>,
  { builder, toHub, secrets }: ReturnType<typeof translator>,
  record: RequestRecord | undefined,
  timing: Omit<PumpOptions, "pingIntervalMs">,
  clientSignal: AbortSignal,
) {
  const events: HubEvent[] = [];
  const filter = hubStreamFilter({
    builder,
    secrets,
    toHub,
    writer: collectingWriter(events),
    observe: record && ((event) => noteEvent(record, event)),
  });
  // No pings: nothing has been sent to the client yet.
  await drainStream(
    pumpStream(body, filter, {
      ...timing,
      pingIntervalMs: timing.idleTimeoutMs,
      tail: record && noteCostFrames(record),
      // The log line waits for the cost frame that trails the upstream's stream.
      onEnd: record && trackStreamEnd(record, clientSignal),
    }),
  );
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
