/**
 * The emulation loop for Anthropic's web server tools on models that cannot run them: the model is offered
 * function tools `web_search` / `web_fetch`; each time it calls one, the gateway runs it, shows the client the
 * `server_tool_use` and result blocks Anthropic would send, feeds the result back as the function's result and
 * asks the upstream again — all inside the one client request, streamed as it goes — until the model answers,
 * calls a client tool, or WEB_TOOLS_MAX_ROUNDS is reached. Each round goes through sendUpstream (retries,
 * fallbacks) and the upstream format's own translator, exactly like a plain relay.
 */
import { streamSecrets } from "../upstream/stream_secrets.ts";
import { toGatewayError } from "../errors/gateway_error.ts";
import type { HubContentBlock, HubEvent, HubRequest } from "../hub/schema.ts";
import { collectMessage } from "../hub/collect_message.ts";
import { HubStreamBuilder } from "../hub/stream_builder.ts";
import { noteEvent } from "../log/observe_stream.ts";
import { noteCall, noteError, recordFor } from "../log/request_record.ts";
import { collectingWriter, hubStreamFilter } from "../hub/hub_filter.ts";
import { pumpStream } from "../stream/pump_stream.ts";
import { sendUpstream, type SentUpstream, upstreamHeaders } from "../upstream/send_upstream.ts";
import { upstreamFormats } from "../formats/registry.ts";
import { exchangeSignal } from "../upstream/total_timeout.ts";
import { resolveUpstreamOverride } from "../upstream/resolve_override.ts";
import { withOverride } from "../upstream/upstream_override.ts";
import type { RelayOptions } from "../relay_options.ts";
import { functionToolsFor } from "./function_tools.ts";
import { pingWhile } from "./ping_while.ts";
import { RoundComposer } from "./round_composer.ts";
import {
  conversationUrlSet,
  laterRound,
  parseArguments,
  serverToolId,
  upstreamRequest,
} from "./round_requests.ts";
import { runWebTool } from "./run_web_tool.ts";
import type { WebToolContext } from "./web_tool_context.ts";
import type { WebToolSpecs } from "./web_tool_specs.ts";

const encoder = new TextEncoder();

export async function relayWithWebTools(options: RelayOptions, specs: WebToolSpecs): Promise<Response> {
  const { config, client } = options;
  const record = recordFor(options.clientRequest);
  const { abort, total, signal } = exchangeSignal(options.clientRequest.signal, config.TOTAL_TIMEOUT_MS);
  const headers = new Headers(options.headers);
  const hub = options.request.hub;
  const stream = options.request.stream;
  // x-upstream-url is checked down to its addresses (403 for a private one), as on the plain relay path.
  const override = await resolveUpstreamOverride(options.clientRequest.headers, config, {
    fetch: options.fetch,
    resolveDns: options.resolveDns,
    signal,
  }).catch((error) => toGatewayError(error));
  if (override instanceof Error) {
    total.clear();
    noteError(record, override);
    return client.renderError(override);
  }
  const call = { ...options.call, model: withOverride(options.call.model, override?.baseUrl) };
  noteCall(record, hub.model, call, stream);
  if (config.TAVILY_API_KEY && record) record.secrets.push(config.TAVILY_API_KEY);
  const context: WebToolContext = {
    config,
    fetch: options.fetch,
    specs,
    signal,
    seenUrls: conversationUrlSet(hub),
    uses: { web_search: 0, web_fetch: 0 },
    requests: { web_search_requests: 0, web_fetch_requests: 0 },
    sources: [],
    notes: [],
    cache: options.webFetchCache,
  };
  // Every round is translated through the hub (stream: false and no client JSON select the hub mode).
  const send = (request: HubRequest) =>
    sendUpstream({
      config,
      fetch: override?.fetch ?? options.fetch,
      formats: upstreamFormats,
      overrideBaseUrl: override?.baseUrl,
      request: { hub: request, stream: false },
      client: client.format,
      call,
      signal,
      fallbacks: options.fallbacks,
      record,
    });
  let request = upstreamRequest(hub, specs);
  let first: SentUpstream;
  try {
    first = await send(request);
  } catch (error) {
    abort.abort();
    total.clear();
    override?.close();
    const gatewayError = toGatewayError(error);
    noteError(record, gatewayError);
    return client.renderError(gatewayError);
  }
  for (const [name, value] of upstreamHeaders(first)) headers.set(name, value);
  const messageId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const collected: HubEvent[] = [];
  const composer = new RoundComposer(
    stream ? client.createStreamFromHub() : collectingWriter(collected),
    functionToolsFor(specs).map((tool) => tool.name),
    { style: client.format === "anthropic" ? "anthropic" : "openai", sources: context.sources! },
  );
  const timing = {
    idleTimeoutMs: config.IDLE_TIMEOUT_MS,
    pingIntervalMs: stream ? config.PING_INTERVAL_MS : config.IDLE_TIMEOUT_MS,
    abort,
  };

  async function* rounds(): AsyncGenerator<string | Uint8Array> {
    let sent: SentUpstream | undefined = first;
    for (let round = 0;; round++) {
      if (!sent) {
        try {
          sent = await send(request);
        } catch (error) {
          const failure = toGatewayError(error);
          noteError(record, failure);
          yield composer.fail(failure.kind, failure.message);
          return;
        }
      }
      const builder = new HubStreamBuilder({ messageId, model: hub.model });
      const filter = hubStreamFilter({
        builder,
        toHub: sent.format.createStreamToHub(builder, sent.call),
        writer: composer.roundWriter(),
        // An upstream's mid-stream error reaches the log line; usage is set from all rounds at the end.
        observe: record && ((event) => noteEvent(record, event)),
        secrets: streamSecrets(config, options.clientRequest.headers, sent.call.apiKey),
      });
      const reader = pumpStream(sent.response.body!, filter, timing).getReader();
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        yield value;
      }
      sent = undefined;
      if (composer.terminated) return;
      const result = composer.roundResult();
      if (result.calls.length === 0 || round + 1 >= config.WEB_TOOLS_MAX_ROUNDS) {
        // At the limit, calls the model still made are dropped: the message ends as an answer.
        if (result.calls.length > 0) context.notes.push(`web tools: stopped after ${round + 1} rounds`);
        const stop = result.calls.length > 0 && !result.clientToolUse
          ? "end_turn"
          : result.stop ?? "end_turn";
        yield composer.finish(stop, context.requests);
        return;
      }
      const toolResults: HubContentBlock[] = [];
      for (const held of result.calls) {
        const id = serverToolId();
        const input = parseArguments(held);
        yield composer.toolUse(id, held, input);
        const ran = runWebTool(held.name, input, id, context);
        // Anthropic pings while its own tool runs; Claude Code aborts a silent stream.
        yield* pingWhile(ran, stream ? config.PING_INTERVAL_MS : 0, composer);
        const run = await ran;
        yield composer.toolResult(run.block);
        toolResults.push({ type: "tool_result", tool_use_id: held.upstreamId, content: run.modelText });
      }
      if (result.clientToolUse) {
        // The client must answer its own tools; the searches are in the history it sends back.
        yield composer.finish("tool_use", context.requests);
        return;
      }
      const assistant = collectMessage(result.events).content as HubContentBlock[];
      request = laterRound(request, assistant, toolResults, round + 2 >= config.WEB_TOOLS_MAX_ROUNDS);
    }
  }

  const finish = () => {
    total.clear();
    override?.close();
    if (record) {
      record.usage = composer.usage();
      if (context.notes.length > 0) record.notes = [...(record.notes ?? []), ...context.notes];
    }
  };
  if (!stream) {
    try {
      for await (const _ of rounds()) { /* the collecting writer keeps the events */ }
      const message = collectMessage(collected);
      const rendered = client.renderMessage(message);
      if (record?.keepBodies) record.responseBody = rendered;
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify(rendered), { headers });
    } catch (error) {
      abort.abort();
      const gatewayError = toGatewayError(error);
      noteError(record, gatewayError);
      return client.renderError(gatewayError);
    } finally {
      finish();
    }
  }
  headers.set("content-type", "text/event-stream; charset=utf-8");
  headers.set("cache-control", "no-cache");
  const iterator = rounds();
  let settle: () => void = () => {};
  if (record) record.streamDone = new Promise((resolve) => settle = resolve);
  const end = () => {
    finish();
    settle();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A pull must enqueue or close: the stream does not pull again after one that produced nothing.
        while (true) {
          const { value, done } = await iterator.next();
          if (done) {
            end();
            controller.close();
            return;
          }
          if (value.length > 0) {
            controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
            return;
          }
        }
      } catch (error) {
        const failure = toGatewayError(error);
        noteError(record, failure);
        const text = composer.fail(failure.kind, failure.message);
        if (text) controller.enqueue(encoder.encode(text));
        end();
        controller.close();
      }
    },
    cancel() {
      abort.abort();
      if (record) record.clientClosed = true;
      iterator.return(undefined).catch(() => {});
      end();
    },
  });
  return new Response(body, { headers });
}
