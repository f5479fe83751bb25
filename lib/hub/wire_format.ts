/**
 * The contracts each wire-format folder fulfils. An upstream format turns the hub request into an HTTP
 * request and the upstream's SSE into hub events; a client format parses the client's request into the hub
 * and writes hub events back in the client's framing.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import type { GatewayError } from "../errors/gateway_error.ts";
import type { HubStreamBuilder } from "./stream_builder.ts";
import type { SseEvent } from "../sse/sse_decoder.ts";
import type { StreamFilter } from "../stream/pump_stream.ts";
import type { HubEvent, HubRequest, ResponseMessage, Usage } from "./schema.ts";

export type ClientFormat = "anthropic" | "openai-chat" | "openai-responses";

export interface UpstreamCall {
  model: ResolvedModel;
  /** Key for the upstream (server-side OPENCODE_API_KEY or the client's own). */
  apiKey: string;
  /** Stable per conversation; sent as `x-opencode-session`. */
  sessionId: string;
  /** Headers from the client that an upstream of the same format may need (anthropic-version, -beta…). */
  clientHeaders: Headers;
}

/** The one request value that travels from the route to the upstream. */
export interface RelayRequest {
  /** The client's request in the hub's shape, fitted to the model (fit_request.ts). */
  hub: HubRequest;
  /** Whether the client asked for a stream (upstream requests always stream unless passed through). */
  stream: boolean;
  /**
   * The client's own JSON, for a format that passes it to an upstream of the same format (Chat, Responses):
   * the pass-through body is derived from it there, model swapped.
   */
  clientBody?: Record<string, unknown>;
  /** Set when fitting lowered `max_tokens`: a pass-through body gets the same limit in its own field. */
  clampedMaxTokens?: number;
}

/** A request whose client JSON goes upstream (the relay's `passthrough` mode). */
export type PassthroughRequest = RelayRequest & { clientBody: Record<string, unknown> };

export interface UpstreamRequest {
  url: string;
  /**
   * Lower-case names. A plain record, not `Headers`: fetch copies a `Headers` through its iterator (sorted,
   * validated entry by entry), which cost ~5 µs and ~17 KiB of garbage a request; a record is read directly.
   */
  headers: Record<string, string>;
  body: string;
}

/** Consumes upstream SSE events and writes hub events through the builder it was created with. */
export interface StreamToHub {
  push(event: SseEvent): void;
  /**
   * The upstream body closed (called before the builder's own end check): a translator that holds a finish
   * back for a trailing frame (chat's usage chunk after `finish_reason`) completes it here.
   */
  end?(): void;
}

/** What a pass-through filter may need beyond the call: the client's own request, when it went upstream. */
export interface PassthroughFilterOptions {
  /** The client's JSON, when the upstream request was built from it (chat reads `stream_options` here). */
  clientBody?: Record<string, unknown>;
  /**
   * Receives the usage the stream reports, in hub terms, as a patch to merge over what came before (the
   * request log's usage). Only the few events that carry usage are parsed for it; bytes are never re-encoded.
   */
  onUsage?: (usage: Partial<Usage>) => void;
  /** The exchange's keys, scrubbed out of upstream error events (issue 11). */
  secrets?: readonly string[];
}

/** A same-format client's JSON as the upstream request (UpstreamFormat.buildPassthroughRequest). */
export type PassthroughRequestBuilder = (request: PassthroughRequest, call: UpstreamCall) => UpstreamRequest;

/** The byte filter of a same-format stream (UpstreamFormat.createPassthroughFilter). */
export type PassthroughFilterFactory = (
  call: UpstreamCall,
  clientModelName: string,
  options: PassthroughFilterOptions,
) => StreamFilter;

export interface UpstreamFormat {
  family: ResolvedModel["family"];
  /** Always a streaming request: non-stream client calls are collected from the stream. */
  buildRequest(request: HubRequest, call: UpstreamCall): UpstreamRequest;
  createStreamToHub(builder: HubStreamBuilder, call: UpstreamCall): StreamToHub;
  /**
   * Optional, for a client of this same format that sent its own JSON: that JSON goes upstream with only
   * the model, a clamped max-tokens field (in the format's own name for it) and what the gateway needs, such
   * as usage in the stream, changed; streamed as the client asked.
   */
  buildPassthroughRequest?: PassthroughRequestBuilder;
  /**
   * Optional fast path for a streaming client of this same format: the upstream's SSE bytes become the
   * client's, without hub events, keeping the relay's guarantees (a terminal error on faults, pings in
   * silences) through `pumpStream`. `clientModelName` is shown instead of the upstream's model id.
   */
  createPassthroughFilter?: PassthroughFilterFactory;
  /** The usage of a non-stream pass-through answer (the upstream's own JSON), in hub terms, for the log. */
  passthroughAnswerUsage?(answer: Record<string, unknown>): Partial<Usage> | undefined;
}

/** Writes hub events in a client's framing; every method returns the text to send, possibly "". */
export interface StreamFromHub {
  write(events: readonly HubEvent[]): string;
  /** Keep-alive while the upstream is silent (Claude Code aborts after 300 s without a byte). */
  ping(): string;
}

export interface ClientWriter {
  format: ClientFormat;
  createStreamFromHub(): StreamFromHub;
  renderMessage(message: ResponseMessage): unknown;
  /** The client's error envelope for an error that happens before headers are sent. */
  renderError(error: GatewayError): Response;
}
