/**
 * A fake strict Anthropic-format upstream, as OpenCode Go serves MiniMax and Qwen on `POST {base}/messages`:
 * it 400s with realistic wording on what such upstreams reject (strict_anthropic_rules.ts), mints its own
 * thinking signatures and checks they come back unchanged (the gateway hands them to the client wrapped in
 * its envelope and unwraps them on the way back; another instance's are foreign, as another server's are to a
 * real upstream), and streams scripted turns in small byte chunks
 * followed by OpenCode's trailing `ping` with `cost`. Reusable by the Claude Code CLI e2e (see writeFileScript).
 */
import {
  byteChunks,
  type FakeUpstream,
  type RecordedRequest,
  sseResponse,
  startFakeUpstream,
} from "./fake_upstream.ts";
import { checkBody, checkHeaders } from "./strict_anthropic_rules.ts";

export interface ScriptedToolUse {
  name: string;
  input: unknown;
  id?: string;
}

/** One assistant turn; blocks come in the order thinking, text, tool uses. */
export interface ScriptedTurn {
  thinking?: string;
  text?: string;
  toolUses?: ScriptedToolUse[];
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  usage?: { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number };
  /** Close the stream after this many events (no message_stop): a cut stream. */
  cutAfterEvents?: number;
}

/** Script: the turn to answer a request with, or a ready Response (errors, odd bodies). */
export type FakeAnthropicScript = (request: RecordedRequest, call: number) => ScriptedTurn | Response;

export interface FakeAnthropicOptions {
  script?: FakeAnthropicScript;
  /** Bytes per streamed chunk (small on purpose: events and characters are cut across reads). */
  chunkSize?: number;
}

export interface Rejection {
  status: number;
  message: string;
  body: unknown;
}

export interface FakeAnthropicUpstream extends FakeUpstream {
  /** Every 4xx this upstream answered (a passing run against it has none). */
  rejections: Rejection[];
  /** Signatures it minted; thinking blocks sent back must carry one of them. */
  signatures: Set<string>;
}

export const COST_PING = 'event: ping\ndata: {"type":"ping","cost":"0.0001"}\n\n';

function mintSignature(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  return btoa(String.fromCharCode(...bytes));
}

/** OpenCode's Anthropic-envelope error, e.g. `opencodeError(429, "GoUsageLimitError", "…")`. */
export function opencodeError(
  status: number,
  type: string,
  message: string,
  init: { headers?: HeadersInit; metadata?: Record<string, unknown> } = {},
): Response {
  const error = { type, message, ...(init.metadata ? { metadata: init.metadata } : {}) };
  return Response.json({ type: "error", error }, { status, headers: init.headers });
}

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) out.push(text.slice(offset, offset + size));
  return out;
}

interface TurnContext {
  model: string;
  messageId: string;
  sign: () => string;
  toolId: () => string;
}

export type EventObject = { type: string; [key: string]: unknown };

/** The turn as Anthropic stream events (without framing). */
export function turnEvents(turn: ScriptedTurn, context: TurnContext): EventObject[] {
  const usage = { input_tokens: 1200, output_tokens: 1, cache_read_input_tokens: 800, ...turn.usage };
  const events: EventObject[] = [{
    type: "message_start",
    message: {
      id: context.messageId,
      type: "message",
      role: "assistant",
      model: context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1, cache_creation_input_tokens: 0 },
    },
  }, { type: "ping" }];
  let index = 0;
  if (turn.thinking !== undefined) {
    events.push({
      type: "content_block_start",
      index,
      content_block: { type: "thinking", thinking: "", signature: "" },
    });
    for (const part of split(turn.thinking, 3)) {
      events.push({ type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: part } });
    }
    events.push({
      type: "content_block_delta",
      index,
      delta: { type: "signature_delta", signature: context.sign() },
    });
    events.push({ type: "content_block_stop", index: index++ });
  }
  if (turn.text !== undefined) {
    events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const part of split(turn.text, 3)) {
      events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: part } });
    }
    events.push({ type: "content_block_stop", index: index++ });
  }
  for (const tool of turn.toolUses ?? []) {
    const id = tool.id ?? context.toolId();
    events.push({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id, name: tool.name, input: {} },
    });
    events.push({
      type: "content_block_delta",
      index,
      delta: { type: "input_json_delta", partial_json: "" },
    });
    for (const part of split(JSON.stringify(tool.input), 2)) {
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: part },
      });
    }
    events.push({ type: "content_block_stop", index: index++ });
  }
  const stopReason = turn.stopReason ?? ((turn.toolUses?.length ?? 0) > 0 ? "tool_use" : "end_turn");
  events.push({
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens === 1 ? 57 : usage.output_tokens },
  });
  events.push({ type: "message_stop" });
  return events;
}

export function frame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The message a non-stream request gets (with OpenCode's `cost` field). */
function turnMessage(events: EventObject[]): unknown {
  const start = events[0] as unknown as { message: Record<string, unknown> };
  const content: Record<string, unknown>[] = [];
  let stop: Record<string, unknown> = {};
  for (const event of events) {
    if (event.type === "content_block_start") content.push({ ...(event.content_block as object) });
    if (event.type === "content_block_delta") {
      const block = content[event.index as number];
      const delta = event.delta as Record<string, string>;
      if (delta.type === "text_delta") block.text += delta.text;
      if (delta.type === "thinking_delta") block.thinking += delta.thinking;
      if (delta.type === "signature_delta") block.signature = delta.signature;
      if (delta.type === "input_json_delta") {
        block.partial = ((block.partial as string) ?? "") + delta.partial_json;
      }
    }
    if (event.type === "message_delta") stop = event;
  }
  for (const block of content) {
    if (block.type === "tool_use") block.input = JSON.parse((block.partial as string) || "{}");
    delete block.partial;
  }
  return { ...start.message, content, ...(stop.delta as object), usage: stop.usage, cost: "0.0001" };
}

/** Default script: a plain text answer. */
const textScript: FakeAnthropicScript = () => ({ thinking: "Short answer.", text: "Hello from the fake." });

/**
 * For a Claude Code run that should write one file: the first turn calls `Write`, the turn after the tool
 * result ends. Requests without a `Write` tool (titles, summaries) get a short text.
 */
export function writeFileScript(filePath: string, content: string): FakeAnthropicScript {
  return (request) => {
    const body = request.body as { messages?: { content: unknown }[]; tools?: { name: string }[] };
    const last = body.messages?.at(-1)?.content;
    const answered = Array.isArray(last) && last.some((block) => block?.type === "tool_result");
    if (answered) return { text: `Created ${filePath}.` };
    if (!body.tools?.some((tool) => tool.name === "Write")) return { text: "File writer" };
    return {
      thinking: "The user wants a file; the Write tool does that.",
      text: "Writing the file now.",
      toolUses: [{ name: "Write", input: { file_path: filePath, content } }],
    };
  };
}

export function startFakeAnthropicUpstream(options: FakeAnthropicOptions = {}): FakeAnthropicUpstream {
  const script = options.script ?? textScript;
  const rejections: Rejection[] = [];
  const signatures = new Set<string>();
  let calls = 0;
  let ids = 0;
  const reject = (status: number, type: string, message: string, body: unknown): Response => {
    rejections.push({ status, message, body });
    return opencodeError(status, type, message);
  };
  const upstream = startFakeUpstream((request) => {
    if (request.method !== "POST" || !request.path.endsWith("/messages")) {
      return reject(404, "not_found_error", `Not found: ${request.method} ${request.path}`, request.body);
    }
    const headerProblem = checkHeaders(request.headers);
    if (headerProblem) {
      return reject(headerProblem.status, headerProblem.type, headerProblem.message, request.body);
    }
    const problem = checkBody(request.body, signatures);
    if (problem) return reject(400, "invalid_request_error", problem, request.body);
    const reply = script(request, calls++);
    if (reply instanceof Response) return reply;
    const body = request.body as { model: string; stream?: boolean };
    const events = turnEvents(reply, {
      model: body.model,
      messageId: `msg_fake_${++ids}`,
      sign: () => {
        const signature = mintSignature();
        signatures.add(signature);
        return signature;
      },
      toolId: () => `toolu_fake_${++ids}`,
    });
    if (body.stream !== true) return Response.json(turnMessage(events));
    const shown = reply.cutAfterEvents === undefined ? events : events.slice(0, reply.cutAfterEvents);
    const text = shown.map(frame).join("") + (reply.cutAfterEvents === undefined ? COST_PING : "");
    return sseResponse(byteChunks(text, options.chunkSize ?? 61));
  });
  return Object.assign(upstream, { rejections, signatures });
}
