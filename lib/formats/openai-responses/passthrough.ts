/**
 * Responses client → responses-family model: the client's JSON with the model rewritten (and the gateway's own
 * reasoning items restored or dropped), and the upstream's numbered events relayed as they are up to the
 * terminal event (OpenCode appends a cost `ping` after it).
 * Usage for the request log is parsed from the terminal `response.completed` / `response.incomplete` only.
 */
import { createOutputItemCheck } from "./passthrough_output_items.ts";
import { type ErrorKind, GatewayError } from "../../errors/gateway_error.ts";
import { isGatewaySignature } from "../../hub/signature.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import { sseEventFilter } from "../../sse/sse_event_filter.ts";
import type { Usage } from "../../hub/schema.ts";
import type { PassthroughFilterFactory, PassthroughRequestBuilder } from "../../hub/wire_format.ts";
import { openaiResponsesUsageToHub } from "./convert_usage.ts";
import { responsesErrorCode } from "./response_from_hub.ts";
import { decodeReasoningSignature } from "./reasoning_signature.ts";
import { responsesUsageSchema } from "./response_schema.ts";
import { modelRenamer, parseObject } from "../openai/passthrough_frames.ts";
import { openaiPassthroughRequest, withMaxTokens } from "../openai/passthrough_request.ts";
import { OPENAI_PING } from "../openai/stream_frames.ts";

const encoder = new TextEncoder();
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

export const openaiResponsesPassthroughRequest: PassthroughRequestBuilder = (request, call) => {
  const body = withMaxTokens(request.clientBody, ["max_output_tokens"], request.clampedMaxTokens);
  return openaiPassthroughRequest(
    "/responses",
    withUpstreamReasoning(body, call.model.upstreamModel),
    call,
    request.stream,
  );
};

/**
 * The client's body with the gateway's own reasoning items made fit for a real Responses upstream. A turn
 * answered through translation (another family, or this one on a fallback) hands the client reasoning items
 * whose `encrypted_content` is the gateway's signature envelope (`ocb1.…`), which OpenAI cannot decrypt: the
 * item this model minted is restored from it, any other is dropped. Reasoning with genuine encrypted content
 * goes as it came; a body without envelopes is returned as is (no copy).
 */
export function withUpstreamReasoning(
  body: Record<string, unknown>,
  model: string,
): Record<string, unknown> {
  const input = body.input;
  if (!Array.isArray(input) || !input.some(isEnvelopeReasoning)) return body;
  const restored = input.flatMap((item): unknown[] => {
    if (!isEnvelopeReasoning(item)) return [item];
    const reasoning = decodeReasoningSignature(item.encrypted_content, model);
    return reasoning ? [reasoning] : [];
  });
  return { ...body, input: restored };
}

function isEnvelopeReasoning(item: unknown): item is { type: "reasoning"; encrypted_content: string } {
  if (typeof item !== "object" || item === null) return false;
  const { type, encrypted_content } = item as Record<string, unknown>;
  return type === "reasoning" && typeof encrypted_content === "string" &&
    isGatewaySignature(encrypted_content);
}

/** Ends after the terminal event; a cut stream gets an `error` event, which openai-node raises as APIError. */
export const openaiResponsesPassthroughFilter: PassthroughFilterFactory = (
  call,
  clientModelName,
  options = {},
) => {
  const rename = modelRenamer(call.model.upstreamModel, clientModelName);
  const onUsage = options.onUsage;
  let done = false;
  let nextSequence = 0;
  const items = createOutputItemCheck();
  const errorFrame = (kind: ErrorKind, message: string) => {
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
  };
  return sseEventFilter({
    get finished() {
      return done;
    },
    forward(event: SseEvent) {
      const type = event.event !== "message" ? event.event : /"type":"([^"]+)"/.exec(event.data)?.[1];
      if (type === "ping" || type === "keepalive") return undefined;
      const sequence = /"sequence_number":(\d+)/.exec(event.data)?.[1];
      if (sequence !== undefined) nextSequence = Number(sequence) + 1;
      const problem = items.problem(type, event.data);
      if (problem) return errorFrame("api_error", `Malformed upstream event: ${problem}`);
      if (type !== undefined && TERMINAL.has(type)) {
        done = true;
        if (onUsage && (type === "response.completed" || type === "response.incomplete")) {
          const response = parseObject(event.data)?.response;
          const usage = typeof response === "object" && response !== null
            ? openaiResponsesAnswerUsage(response as Record<string, unknown>)
            : undefined;
          if (usage) onUsage(usage);
        }
      }
      const renamed = rename(event.data);
      if (renamed === undefined) return event.raw;
      return encoder.encode(`${type ? `event: ${type}\n` : ""}data: ${renamed}\n\n`);
    },
    fail: errorFrame,
    cutMessage: () => "Upstream stream ended before completion",
    ping: () => encoder.encode(OPENAI_PING),
    secrets: options.secrets,
  });
};

/**
 * The usage of a Responses object (a terminal event's `response`, or a non-stream answer) in hub terms, as
 * the translated path logs it; undefined when it has none (or a malformed one).
 */
export function openaiResponsesAnswerUsage(response: Record<string, unknown>): Partial<Usage> | undefined {
  if (typeof response.usage !== "object" || response.usage === null) return undefined;
  const parsed = responsesUsageSchema.safeParse(response.usage);
  return parsed.success
    ? { input_tokens: 0, output_tokens: 0, ...openaiResponsesUsageToHub(parsed.data) }
    : undefined;
}
