/**
 * Same-format relay for a Chat client on a chat-family model: the client's JSON goes upstream with only the
 * model rewritten (and usage asked for, so it gets logged), and the upstream's SSE bytes come back as they
 * are, minus what follows the terminal frame (OpenCode's cost chunk). The relay runs it through `pumpStream`
 * like every other stream; the Responses pass-through shares the request and renaming helpers. Usage for the
 * request log is parsed only from the chunk that carries a `usage` object (most send `"usage":null` or none).
 */
import type { ErrorKind } from "../../errors/gateway_error.ts";
import type { Usage } from "../../hub/schema.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import { sseEventFilter } from "../../sse/sse_event_filter.ts";
import type { PassthroughFilterFactory, PassthroughRequestBuilder } from "../../hub/wire_format.ts";
import { openaiChatUsageToHub } from "./convert_usage.ts";
import { openaiChatUsageSchema } from "./response_schema.ts";
import { modelRenamer, parseObject } from "../openai/passthrough_frames.ts";
import { openaiPassthroughRequest, withMaxTokens } from "../openai/passthrough_request.ts";
import { OPENAI_PING, openaiStreamErrorFrame } from "../openai/stream_frames.ts";
import { chatToolCallProblem } from "./passthrough_tool_calls.ts";
import { ToolCallSlots } from "../../stream/tool_call_slots.ts";

const encoder = new TextEncoder();

/** Chat client → chat upstream; `stream_options.include_usage` is always asked for so usage gets logged. */
export const openaiChatPassthroughRequest: PassthroughRequestBuilder = (request, call) => {
  const stream = request.stream;
  const body: Record<string, unknown> = {
    ...withMaxTokens(request.clientBody, ["max_tokens", "max_completion_tokens"], request.clampedMaxTokens),
  };
  if (stream) {
    const streamOptions = typeof body.stream_options === "object" && body.stream_options !== null
      ? body.stream_options
      : {};
    body.stream_options = { ...streamOptions, include_usage: true };
  }
  return openaiPassthroughRequest("/chat/completions", body, call, stream);
};

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
 * asked for is dropped unless the client asked too, its usage noted first. A stream that finished but lost
 * its `[DONE]` gets one.
 */
export const openaiChatPassthroughFilter: PassthroughFilterFactory = (
  call,
  clientModelName,
  options,
) => {
  const rename = modelRenamer(call.model.upstreamModel, clientModelName);
  const includeUsage = clientWantsUsage(options.clientBody);
  const onUsage = options.onUsage;
  let done = false;
  /** A `finish_reason` went through: a stream cut after it only lacks its `[DONE]`. */
  let answered = false;
  const slots = new ToolCallSlots("tool_calls[].index");
  return sseEventFilter({
    get finished() {
      return done;
    },
    forward(event: SseEvent) {
      if (event.data === "[DONE]") {
        done = true;
        return DONE_BYTES;
      }
      const problem = chatToolCallProblem(event.data, slots);
      if (problem) {
        done = true;
        return encoder.encode(openaiStreamErrorFrame("api_error", `Malformed upstream event: ${problem}`));
      }
      // Substring checks first: only the one chunk with usage (or `"choices":[]`) is ever parsed.
      const maybeUsageOnly = !includeUsage && event.data.includes('"choices":[]');
      if (maybeUsageOnly || (onUsage && hasUsageObject(event.data))) {
        const chunk = parseObject(event.data);
        if (chunk && onUsage) {
          const usage = openaiChatAnswerUsage(chunk);
          if (usage) onUsage(usage);
        }
        if (maybeUsageOnly && chunk && isUsageOnly(chunk)) return undefined;
      }
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
    secrets: options.secrets,
  });
};

/** The usage of a Chat chunk or non-stream answer in hub terms; undefined when it has none (or a bad one). */
export function openaiChatAnswerUsage(answer: Record<string, unknown>): Usage | undefined {
  if (typeof answer.usage !== "object" || answer.usage === null) return undefined;
  const parsed = openaiChatUsageSchema.safeParse(answer.usage);
  return parsed.success ? openaiChatUsageToHub(parsed.data) : undefined;
}

/**
 * Whether a frame has a `"usage"` key whose value is an object, without parsing it. A `"usage"` inside a
 * string value is escaped (`\"usage\"`), so only keys (and a bare `"usage"` string value) match the search.
 */
export function hasUsageObject(data: string): boolean {
  for (let at = data.indexOf('"usage"'); at !== -1; at = data.indexOf('"usage"', at + 7)) {
    let index = skipSpace(data, at + 7);
    if (data.charCodeAt(index) !== COLON) continue;
    index = skipSpace(data, index + 1);
    if (data.charCodeAt(index) === OPEN_BRACE) return true;
  }
  return false;
}

const COLON = 0x3a;
const OPEN_BRACE = 0x7b;

function skipSpace(data: string, index: number): number {
  let code = data.charCodeAt(index);
  while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = data.charCodeAt(++index);
  return index;
}

function isUsageOnly(chunk: Record<string, unknown>): boolean {
  return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.error === undefined;
}
