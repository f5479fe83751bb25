/**
 * Same-format relay for a Chat client on a chat-family model: the client's JSON goes upstream with only the
 * model rewritten (and usage asked for, so it gets logged), and the upstream's SSE bytes come back as they
 * are, minus what follows the terminal frame (OpenCode's cost chunk). The relay runs it through `pumpStream`
 * like every other stream; the Responses pass-through shares the request and renaming helpers.
 */
import type { ErrorKind } from "../../errors/gateway_error.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamFilter } from "../../stream/pump_stream.ts";
import { sseEventFilter } from "../../stream/sse_event_filter.ts";
import { OPENCODE_CLIENT, USER_AGENT } from "../../upstream/identity.ts";
import type { PassthroughFilterOptions, UpstreamCall, UpstreamRequest } from "../wire_format.ts";
import { OPENAI_PING, openaiStreamErrorFrame } from "./stream_from_hub.ts";

const encoder = new TextEncoder();

/** `POST {base}{path}` with the client's JSON, the upstream model in place, and the gateway's headers. */
export function openaiPassthroughRequest(
  path: string,
  body: Record<string, unknown>,
  call: UpstreamCall,
  stream: boolean,
): UpstreamRequest {
  return {
    url: `${call.model.baseUrl.replace(/\/+$/, "")}${path}`,
    headers: new Headers({
      "authorization": `Bearer ${call.apiKey}`,
      "content-type": "application/json",
      "accept": stream ? "text/event-stream" : "application/json",
      "user-agent": USER_AGENT,
      // OpenCode Go answers 400 MissingSessionID without it.
      "x-opencode-session": call.sessionId,
      "x-opencode-client": OPENCODE_CLIENT,
    }),
    body: JSON.stringify({ ...body, model: call.model.upstreamModel }),
  };
}

/** Chat client → chat upstream; `stream_options.include_usage` is always asked for so usage gets logged. */
export function openaiChatPassthroughRequest(
  clientBody: Record<string, unknown>,
  call: UpstreamCall,
  stream: boolean,
): UpstreamRequest {
  const body: Record<string, unknown> = { ...clientBody };
  if (stream) {
    const streamOptions = typeof body.stream_options === "object" && body.stream_options !== null
      ? body.stream_options
      : {};
    body.stream_options = { ...streamOptions, include_usage: true };
  }
  return openaiPassthroughRequest("/chat/completions", body, call, stream);
}

/** Replaces the first `"model":"<upstream>"` with the client's name, without parsing the frame. */
export function modelRenamer(
  upstreamModel: string,
  clientModel: string,
): (data: string) => string | undefined {
  if (clientModel === upstreamModel) return () => undefined;
  const from = `"model":${JSON.stringify(upstreamModel)}`;
  const to = `"model":${JSON.stringify(clientModel)}`;
  return (data) => (data.includes(from) ? data.replace(from, to) : undefined);
}

/** The client asked for the usage chunk itself (otherwise the one the gateway asked for is dropped). */
function clientWantsUsage(body: Record<string, unknown> | undefined): boolean {
  const options = body?.stream_options;
  return typeof options === "object" && options !== null &&
    (options as { include_usage?: unknown }).include_usage === true;
}

const DONE = "data: [DONE]\n\n";
const DONE_BYTES = encoder.encode(DONE);

/**
 * Chat frames: `[DONE]` ends the stream (OpenCode's cost chunk follows it); the usage-only chunk the gateway
 * asked for is dropped unless the client asked too. A stream that finished but lost its `[DONE]` gets one.
 */
export function chatPassthroughFilter(
  call: UpstreamCall,
  clientModelName: string,
  options: PassthroughFilterOptions,
): StreamFilter {
  const rename = modelRenamer(call.model.upstreamModel, clientModelName);
  const includeUsage = clientWantsUsage(options.clientBody);
  let done = false;
  /** A `finish_reason` went through: a stream cut after it only lacks its `[DONE]`. */
  let answered = false;
  return sseEventFilter({
    get finished() {
      return done;
    },
    forward(event: SseEvent) {
      if (event.data === "[DONE]") {
        done = true;
        return DONE_BYTES;
      }
      if (!includeUsage && isUsageOnly(event.data)) return undefined;
      if (!answered && event.data.includes('"finish_reason":"')) answered = true;
      const renamed = rename(event.data);
      return renamed === undefined ? event.raw : encoder.encode(`data: ${renamed}\n\n`);
    },
    fail(kind: ErrorKind, message: string) {
      done = true;
      return encoder.encode(answered ? DONE : openaiStreamErrorFrame(kind, message));
    },
    cutMessage: () => "Upstream stream ended before completion",
    ping: () => encoder.encode(OPENAI_PING),
  });
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
