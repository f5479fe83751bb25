/**
 * A fake OpenAI Responses upstream that validates requests the way the real service does (Bearer key,
 * `function_call_output` call ids, encrypted reasoning items returned exactly as minted, flat function tools)
 * and answers with a scripted turn, streamed in small byte chunks.
 */
import { isDeepStrictEqual } from "node:util";
import {
  byteChunks,
  type FakeUpstream,
  namedFrames,
  type RecordedRequest,
  sseResponse,
  startFakeUpstream,
} from "./fake_upstream.ts";

export interface ResponsesTurn {
  /** Reasoning summary parts; a reasoning item with fresh encrypted content is minted for them. */
  reasoning?: string[];
  /** Mint a reasoning item even with no summary text (effort low answers often have none). */
  silentReasoning?: boolean;
  text?: string;
  calls?: { name: string; arguments: unknown }[];
  /** `incomplete` ends with response.incomplete. */
  status?: "completed" | "incomplete";
  incompleteReason?: string;
  usage?: Record<string, unknown>;
}

/** A turn, raw events to send as they are, or a whole HTTP response. */
export type ResponsesReply = ResponsesTurn | { events: { type: string }[] } | Response;

export interface FakeResponsesUpstream extends FakeUpstream {
  /** Reasoning items minted so far, by id. */
  minted: Map<string, Record<string, unknown>>;
}

type Json = Record<string, unknown>;

const DEFAULT_USAGE = {
  input_tokens: 120,
  input_tokens_details: { cached_tokens: 100 },
  output_tokens: 30,
  output_tokens_details: { reasoning_tokens: 12 },
  total_tokens: 150,
};

function openaiError(status: number, message: string, code: string | null = null): Response {
  return Response.json({ error: { message, type: "invalid_request_error", param: null, code } }, { status });
}

/** The request problems the real service answers 400 for, or undefined. */
function validate(body: Json, minted: Map<string, Json>): string | undefined {
  if (body.stream !== true) return "This fake only streams: stream must be true";
  if (body.store !== false) return "store must be false for stateless reasoning";
  if (typeof body.model !== "string") return "Missing required parameter: 'model'.";
  if (!Array.isArray(body.input)) return "Invalid type for 'input': expected an array";
  const callIds = new Set<string>();
  for (const [index, item] of (body.input as Json[]).entries()) {
    const type = item.type ?? "message";
    if (type === "message") {
      if (!["user", "assistant", "system", "developer"].includes(String(item.role))) {
        return `Invalid value: '${item.role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`;
      }
      const parts = typeof item.content === "string" ? [] : item.content as Json[];
      if (!Array.isArray(parts)) return `Invalid type for 'input[${index}].content'`;
      for (const part of parts) {
        if (!["input_text", "input_image", "input_file", "output_text"].includes(String(part.type))) {
          return `Invalid value: '${part.type}' at input[${index}].content`;
        }
      }
    } else if (type === "function_call") {
      if (typeof item.call_id !== "string" || !item.call_id) return `Missing 'input[${index}].call_id'`;
      if (typeof item.arguments !== "string") return `Invalid type for 'input[${index}].arguments'`;
      JSON.parse(item.arguments);
      callIds.add(item.call_id);
    } else if (type === "function_call_output") {
      if (!callIds.has(String(item.call_id))) {
        return `No tool call found for function call output with call_id ${item.call_id}.`;
      }
    } else if (type === "reasoning") {
      const original = minted.get(String(item.id));
      if (!original || !isDeepStrictEqual(item, original)) {
        return `The encrypted content for item ${item.id} could not be verified.`;
      }
    } else {
      return `Invalid value: '${type}' at input[${index}].type`;
    }
  }
  for (const tool of (body.tools ?? []) as Json[]) {
    if (tool.type !== "function" || typeof tool.name !== "string" || "function" in tool) {
      return "Missing required parameter: 'tools[0].name'.";
    }
  }
  return undefined;
}

function split(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const out: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) out.push(text.slice(offset, offset + size));
  return out;
}

/** The full event sequence of a turn, as the real service orders it. */
function turnEvents(turn: ResponsesTurn, model: string, minted: Map<string, Json>): Json[] {
  const events: Json[] = [];
  const output: Json[] = [];
  const id = crypto.randomUUID().slice(0, 8);
  const response = { id: `resp_${id}`, object: "response", model, status: "in_progress", output: [] };
  events.push({ type: "response.created", response }, { type: "response.in_progress", response });
  if (turn.reasoning || turn.silentReasoning) {
    const itemId = `rs_${id}_${minted.size}`;
    const summary = (turn.reasoning ?? []).map((text) => ({ type: "summary_text", text }));
    const item = { type: "reasoning", id: itemId, encrypted_content: `gAAAA${crypto.randomUUID()}`, summary };
    minted.set(itemId, item);
    const at = output.length;
    events.push({
      type: "response.output_item.added",
      output_index: at,
      item: { type: "reasoning", id: itemId, summary: [] },
    });
    summary.forEach((part, summaryIndex) => {
      const base = { item_id: itemId, output_index: at, summary_index: summaryIndex };
      events.push({
        type: "response.reasoning_summary_part.added",
        ...base,
        part: { type: "summary_text", text: "" },
      });
      for (const delta of split(part.text, 3)) {
        events.push({ type: "response.reasoning_summary_text.delta", ...base, delta });
      }
      events.push({ type: "response.reasoning_summary_text.done", ...base, text: part.text });
      events.push({ type: "response.reasoning_summary_part.done", ...base, part });
    });
    events.push({ type: "response.output_item.done", output_index: at, item });
    output.push(item);
  }
  if (turn.text !== undefined) {
    const itemId = `msg_${id}`;
    const at = output.length;
    const base = { item_id: itemId, output_index: at, content_index: 0 };
    events.push({
      type: "response.output_item.added",
      output_index: at,
      item: { type: "message", id: itemId, role: "assistant", status: "in_progress", content: [] },
    });
    events.push({
      type: "response.content_part.added",
      ...base,
      part: { type: "output_text", text: "", annotations: [] },
    });
    for (const delta of split(turn.text, 4)) {
      events.push({ type: "response.output_text.delta", ...base, delta, logprobs: [] });
    }
    const part = { type: "output_text", text: turn.text, annotations: [] };
    events.push({ type: "response.output_text.done", ...base, text: turn.text, logprobs: [] });
    events.push({ type: "response.content_part.done", ...base, part });
    const item = { type: "message", id: itemId, role: "assistant", status: "completed", content: [part] };
    events.push({ type: "response.output_item.done", output_index: at, item });
    output.push(item);
  }
  for (const [callIndex, call] of (turn.calls ?? []).entries()) {
    const itemId = `fc_${id}_${callIndex}`;
    const callId = `call_${id}_${callIndex}`;
    const args = JSON.stringify(call.arguments);
    const at = output.length;
    const added = {
      type: "function_call",
      id: itemId,
      call_id: callId,
      name: call.name,
      arguments: "",
      status: "in_progress",
    };
    events.push({ type: "response.output_item.added", output_index: at, item: added });
    for (const delta of split(args, 3)) {
      events.push({
        type: "response.function_call_arguments.delta",
        item_id: itemId,
        output_index: at,
        delta,
      });
    }
    events.push({
      type: "response.function_call_arguments.done",
      item_id: itemId,
      output_index: at,
      name: call.name,
      arguments: args,
    });
    const item = { ...added, arguments: args, status: "completed" };
    events.push({ type: "response.output_item.done", output_index: at, item });
    output.push(item);
  }
  const usage = turn.usage ?? DEFAULT_USAGE;
  if (turn.status === "incomplete") {
    events.push({
      type: "response.incomplete",
      response: {
        ...response,
        status: "incomplete",
        incomplete_details: { reason: turn.incompleteReason ?? "max_output_tokens" },
        output,
        usage,
      },
    });
  } else {
    events.push({
      type: "response.completed",
      response: { ...response, status: "completed", output, usage },
    });
  }
  // OpenCode appends its cost frame after the terminal event.
  events.push({ type: "ping", cost: "0.00012345" });
  return events.map((event, sequence) => ({ ...event, sequence_number: sequence }));
}

/** `reply(body, turn)` scripts each answer; turn counts validated requests from 0. */
export function startFakeResponsesUpstream(
  reply: (body: Json, turn: number) => ResponsesReply,
  options: { key?: string } = {},
): FakeResponsesUpstream {
  const key = options.key ?? "test-key";
  const minted = new Map<string, Json>();
  let turn = 0;
  const upstream = startFakeUpstream((request: RecordedRequest) => {
    if (!request.path.endsWith("/responses")) return openaiError(404, `Unknown path ${request.path}`);
    if (request.headers.get("authorization") !== `Bearer ${key}`) {
      return openaiError(401, "Incorrect API key provided", "invalid_api_key");
    }
    if (!request.headers.get("x-opencode-session")) return openaiError(400, "Missing x-opencode-session");
    const body = request.body as Json;
    const problem = validate(body, minted);
    if (problem) return openaiError(400, problem);
    const answer = reply(body, turn++);
    if (answer instanceof Response) return answer;
    const events = "events" in answer ? answer.events : turnEvents(answer, String(body.model), minted);
    return sseResponse(byteChunks(namedFrames(events as { type: string }[]), 11));
  });
  return Object.assign(upstream, { minted });
}
