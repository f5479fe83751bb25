/**
 * Responses client → responses-family model: the client's JSON with the model rewritten, and the upstream's
 * numbered events relayed as they are up to the terminal event (OpenCode appends a cost `ping` after it).
 */
import { GatewayError } from "../../errors/gateway_error.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import {
  modelRenamer,
  type PassthroughFilter,
  type PassthroughOptions,
  relayPassthrough,
} from "../openai-chat/passthrough.ts";
import { responsesErrorCode } from "./response_from_hub.ts";

const encoder = new TextEncoder();
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

export function relayOpenaiResponsesPassthrough(
  options: Omit<PassthroughOptions, "format" | "path" | "filter">,
): Promise<Response> {
  return relayPassthrough({
    ...options,
    body: { ...options.body, model: options.model.upstreamModel },
    format: "openai-responses",
    path: "/responses",
    filter: () => responsesPassthroughFilter(options.model),
  });
}

/** Ends after the terminal event; a cut stream gets an `error` event, which openai-node raises as APIError. */
export function responsesPassthroughFilter(model: PassthroughOptions["model"]): PassthroughFilter {
  const rename = modelRenamer(model);
  let done = false;
  let nextSequence = 0;
  return {
    get done() {
      return done;
    },
    event(event: SseEvent) {
      const type = event.event !== "message" ? event.event : /"type":"([^"]+)"/.exec(event.data)?.[1];
      if (type === "ping" || type === "keepalive") return undefined;
      const sequence = /"sequence_number":(\d+)/.exec(event.data)?.[1];
      if (sequence !== undefined) nextSequence = Number(sequence) + 1;
      if (type !== undefined && TERMINAL.has(type)) done = true;
      const renamed = rename(event.data);
      if (renamed === undefined) return event.raw;
      return encoder.encode(`${type ? `event: ${type}\n` : ""}data: ${renamed}\n\n`);
    },
    cut(kind, message) {
      done = true;
      const error = new GatewayError(kind, message);
      const payload = {
        type: "error",
        code: responsesErrorCode(error.kind, error.message),
        message,
        param: null,
        sequence_number: nextSequence,
      };
      return `event: error\ndata: ${JSON.stringify(payload)}\n\n`;
    },
  };
}
