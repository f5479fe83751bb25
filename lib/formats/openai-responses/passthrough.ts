/**
 * Responses client → responses-family model: the client's JSON with the model rewritten, and the upstream's
 * numbered events relayed as they are up to the terminal event (OpenCode appends a cost `ping` after it).
 */
import { type ErrorKind, GatewayError } from "../../errors/gateway_error.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamFilter } from "../../stream/pump_stream.ts";
import { sseEventFilter } from "../../stream/sse_event_filter.ts";
import { modelRenamer, openaiPassthroughRequest } from "../openai-chat/passthrough.ts";
import { OPENAI_PING } from "../openai-chat/stream_from_hub.ts";
import type { UpstreamCall, UpstreamRequest } from "../wire_format.ts";
import { responsesErrorCode } from "./response_from_hub.ts";

const encoder = new TextEncoder();
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

export function responsesPassthroughRequest(
  clientBody: Record<string, unknown>,
  call: UpstreamCall,
  stream: boolean,
): UpstreamRequest {
  return openaiPassthroughRequest("/responses", clientBody, call, stream);
}

/** Ends after the terminal event; a cut stream gets an `error` event, which openai-node raises as APIError. */
export function responsesPassthroughFilter(call: UpstreamCall, clientModelName: string): StreamFilter {
  const rename = modelRenamer(call.model.upstreamModel, clientModelName);
  let done = false;
  let nextSequence = 0;
  return sseEventFilter({
    get finished() {
      return done;
    },
    forward(event: SseEvent) {
      const type = event.event !== "message" ? event.event : /"type":"([^"]+)"/.exec(event.data)?.[1];
      if (type === "ping" || type === "keepalive") return undefined;
      const sequence = /"sequence_number":(\d+)/.exec(event.data)?.[1];
      if (sequence !== undefined) nextSequence = Number(sequence) + 1;
      if (type !== undefined && TERMINAL.has(type)) done = true;
      const renamed = rename(event.data);
      if (renamed === undefined) return event.raw;
      return encoder.encode(`${type ? `event: ${type}\n` : ""}data: ${renamed}\n\n`);
    },
    fail(kind: ErrorKind, message: string) {
      done = true;
      const error = new GatewayError(kind, message);
      const payload = {
        type: "error",
        code: responsesErrorCode(error.kind, error.message),
        message,
        param: null,
        sequence_number: nextSequence,
      };
      return encoder.encode(`event: error\ndata: ${JSON.stringify(payload)}\n\n`);
    },
    cutMessage: () => "Upstream stream ended before completion",
    ping: () => encoder.encode(OPENAI_PING),
  });
}
