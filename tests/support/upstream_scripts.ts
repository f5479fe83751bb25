/**
 * Upstream SSE streams for every family, built from one abstract script (text, thinking, tool calls, a
 * finish), plus the mutations the property and fuzz tests apply: truncation, dropped, duplicated and
 * reordered frames, garbage frames and bytes, and arbitrary chunk boundaries.
 */
import fc from "fast-check";
import type { Family } from "../../lib/catalog/types.ts";

export type ScriptPart =
  | { kind: "text"; chunks: string[] }
  | { kind: "thinking"; chunks: string[]; signature?: string }
  | { kind: "tool"; id: string; name: string; argumentChunks: string[] };

export interface Script {
  parts: ScriptPart[];
  finish: "end" | "tool" | "length";
  usage: { input: number; output: number };
}

const chunkText = fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 });

/** Cuts a JSON text into argument fragments at arbitrary points. */
function splitArguments(json: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (json.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of points) {
    if (point > start) pieces.push(json.slice(start, point));
    start = Math.max(start, point);
  }
  pieces.push(json.slice(start));
  return pieces.filter((piece) => piece.length > 0);
}

const part: fc.Arbitrary<ScriptPart> = fc.oneof(
  fc.record({ kind: fc.constant("text" as const), chunks: chunkText }),
  fc.record({
    kind: fc.constant("thinking" as const),
    chunks: chunkText,
    signature: fc.option(fc.base64String({ minLength: 4, maxLength: 24 }), { nil: undefined }),
  }, { requiredKeys: ["kind", "chunks"] }),
  fc.record({
    id: fc.stringMatching(/^call_[a-z0-9]{4,8}$/),
    name: fc.stringMatching(/^[a-z][a-z_]{0,10}$/),
    args: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
  }).map(({ id, name, args, cuts }) => ({
    kind: "tool" as const,
    id,
    name,
    argumentChunks: splitArguments(JSON.stringify(args), cuts),
  })),
);

export const scriptArbitrary: fc.Arbitrary<Script> = fc.record({
  parts: fc.array(part, { maxLength: 4 }),
  finish: fc.constantFrom("end" as const, "tool" as const, "length" as const),
  usage: fc.record({ input: fc.nat({ max: 100_000 }), output: fc.nat({ max: 10_000 }) }),
}).map((script) => {
  // Upstreams report a tool finish exactly when a tool call was made (unless cut by the length limit).
  const hasTool = script.parts.some((item) => item.kind === "tool");
  const finish = script.finish === "length" ? "length" : hasTool ? "tool" : "end";
  // One answer never has two calls with one id (a duplicate is a malformed upstream event).
  const parts = script.parts.map((item, index) =>
    item.kind === "tool" ? { ...item, id: `${item.id}_${index}` } : item
  );
  return { ...script, parts, finish };
});

const data = (object: unknown) => `data: ${JSON.stringify(object)}\n\n`;
const named = (object: { type: string; [key: string]: unknown }) =>
  `event: ${object.type}\ndata: ${JSON.stringify(object)}\n\n`;

/** The script as one SSE frame string per upstream event, in the family's wire format. */
export function renderScript(family: Family, script: Script, model = "m"): string[] {
  switch (family) {
    case "openai-chat":
      return renderChat(script, model);
    case "anthropic":
      return renderAnthropic(script, model);
    case "openai-responses":
      return renderResponses(script, model);
    case "gemini":
      return renderGemini(script);
  }
}

function renderChat(script: Script, model: string): string[] {
  const chunk = (delta: unknown, finish: string | null = null) =>
    data({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
  const frames = [chunk({ role: "assistant", content: "" })];
  let toolIndex = 0;
  for (const item of script.parts) {
    if (item.kind === "text") { for (const text of item.chunks) frames.push(chunk({ content: text })); }
    else if (item.kind === "thinking") {
      for (const text of item.chunks) frames.push(chunk({ reasoning_content: text }));
    } else {
      const index = toolIndex++;
      frames.push(chunk({
        tool_calls: [{ index, id: item.id, type: "function", function: { name: item.name, arguments: "" } }],
      }));
      for (const fragment of item.argumentChunks) {
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
      }
    }
  }
  const reason = { end: "stop", tool: "tool_calls", length: "length" }[script.finish];
  frames.push(chunk({}, reason));
  frames.push(data({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model,
    choices: [],
    usage: {
      prompt_tokens: script.usage.input,
      completion_tokens: script.usage.output,
      total_tokens: script.usage.input + script.usage.output,
    },
  }));
  frames.push("data: [DONE]\n\n");
  return frames;
}

function renderAnthropic(script: Script, model: string): string[] {
  const frames = [named({
    type: "message_start",
    message: {
      id: "msg_up",
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: script.usage.input, output_tokens: 1 },
    },
  })];
  frames.push(named({ type: "ping" }));
  script.parts.forEach((item, index) => {
    if (item.kind === "text") {
      frames.push(named({ type: "content_block_start", index, content_block: { type: "text", text: "" } }));
      for (const text of item.chunks) {
        frames.push(named({ type: "content_block_delta", index, delta: { type: "text_delta", text } }));
      }
    } else if (item.kind === "thinking") {
      frames.push(named({
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      }));
      for (const thinking of item.chunks) {
        frames.push(
          named({ type: "content_block_delta", index, delta: { type: "thinking_delta", thinking } }),
        );
      }
      frames.push(named({
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: item.signature ?? "sig" },
      }));
    } else {
      frames.push(named({
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: item.id, name: item.name, input: {} },
      }));
      for (const partial_json of item.argumentChunks) {
        frames.push(
          named({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } }),
        );
      }
    }
    frames.push(named({ type: "content_block_stop", index }));
  });
  const reason = { end: "end_turn", tool: "tool_use", length: "max_tokens" }[script.finish];
  frames.push(named({
    type: "message_delta",
    delta: { stop_reason: reason, stop_sequence: null },
    usage: { output_tokens: script.usage.output },
  }));
  frames.push(named({ type: "message_stop" }));
  return frames;
}

function renderResponses(script: Script, model: string): string[] {
  let sequence = 0;
  const event = (object: Record<string, unknown>) =>
    named({ type: String(object.type), ...object, sequence_number: sequence++ });
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: "resp_1",
    object: "response",
    model,
    status,
    output: [],
    ...extra,
  });
  const frames = [event({ type: "response.created", response: response("in_progress") })];
  script.parts.forEach((item, output_index) => {
    const item_id = `item_${output_index}`;
    if (item.kind === "text") {
      frames.push(event({
        type: "response.output_item.added",
        output_index,
        item: { type: "message", id: item_id, role: "assistant", status: "in_progress", content: [] },
      }));
      for (const delta of item.chunks) {
        frames.push(
          event({ type: "response.output_text.delta", item_id, output_index, content_index: 0, delta }),
        );
      }
      const text = item.chunks.join("");
      frames.push(event({
        type: "response.output_item.done",
        output_index,
        item: {
          type: "message",
          id: item_id,
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text, annotations: [] }],
        },
      }));
    } else if (item.kind === "thinking") {
      frames.push(event({
        type: "response.output_item.added",
        output_index,
        item: { type: "reasoning", id: item_id, summary: [] },
      }));
      for (const delta of item.chunks) {
        frames.push(event({
          type: "response.reasoning_summary_text.delta",
          item_id,
          output_index,
          summary_index: 0,
          delta,
        }));
      }
      frames.push(event({
        type: "response.output_item.done",
        output_index,
        item: {
          type: "reasoning",
          id: item_id,
          summary: [{ type: "summary_text", text: item.chunks.join("") }],
          encrypted_content: item.signature ?? null,
        },
      }));
    } else {
      frames.push(event({
        type: "response.output_item.added",
        output_index,
        item: { type: "function_call", id: item_id, call_id: item.id, name: item.name, arguments: "" },
      }));
      for (const delta of item.argumentChunks) {
        frames.push(event({ type: "response.function_call_arguments.delta", item_id, output_index, delta }));
      }
      frames.push(event({
        type: "response.output_item.done",
        output_index,
        item: {
          type: "function_call",
          id: item_id,
          call_id: item.id,
          name: item.name,
          arguments: item.argumentChunks.join(""),
          status: "completed",
        },
      }));
    }
  });
  const usage = {
    input_tokens: script.usage.input,
    output_tokens: script.usage.output,
    total_tokens: script.usage.input + script.usage.output,
  };
  frames.push(
    script.finish === "length"
      ? event({
        type: "response.incomplete",
        response: response("incomplete", { incomplete_details: { reason: "max_output_tokens" }, usage }),
      })
      : event({ type: "response.completed", response: response("completed", { usage }) }),
  );
  return frames;
}

function renderGemini(script: Script): string[] {
  const frame = (parts: unknown[], extra: Record<string, unknown> = {}) =>
    data({ candidates: [{ content: { role: "model", parts }, index: 0, ...extra }] });
  const frames: string[] = [];
  for (const item of script.parts) {
    if (item.kind === "text") { for (const text of item.chunks) frames.push(frame([{ text }])); }
    else if (item.kind === "thinking") {
      item.chunks.forEach((text, index) =>
        frames.push(frame([{
          text,
          thought: true,
          ...(item.signature && index === item.chunks.length - 1 ? { thoughtSignature: item.signature } : {}),
        }]))
      );
    } else {
      let args: unknown = {};
      try {
        args = JSON.parse(item.argumentChunks.join(""));
      } catch { /* a script's arguments are always JSON */ }
      frames.push(frame([{ functionCall: { name: item.name, args } }]));
    }
  }
  const reason = script.finish === "length" ? "MAX_TOKENS" : "STOP";
  frames.push(data({
    candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: reason, index: 0 }],
    usageMetadata: {
      promptTokenCount: script.usage.input,
      candidatesTokenCount: script.usage.output,
      totalTokenCount: script.usage.input + script.usage.output,
    },
  }));
  return frames;
}

/** Frames that no upstream should send, but some will: broken JSON, wrong shapes, unknown events, binary. */
export const garbageFrame: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "data: {not json\n\n",
    "data: null\n\n",
    "data: []\n\n",
    'data: {"choices":5}\n\n',
    'data: {"candidates":[{"content":null}]}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":7}\n\n',
    'event: response.output_text.delta\ndata: {"type":"response.output_text.delta"}\n\n',
    'event: mystery\ndata: {"type":"mystery"}\n\n',
    ": comment\n\n",
    "retry: 10\n\n",
    "data: [DONE]\n\n",
    'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    'data: {"error":{"message":"boom","type":"server_error"}}\n\n',
  ),
  fc.string({ unit: "binary", maxLength: 30 }).map((text) => `data: ${text}\n\n`),
  fc.string({ unit: "binary", maxLength: 30 }),
);

export type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "drop"; index: number }
  | { kind: "duplicate"; index: number }
  | { kind: "swap"; index: number }
  | { kind: "garbage"; index: number; frame: string };

export const mutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("drop" as const), index: fc.nat() }),
    fc.record({ kind: fc.constant("duplicate" as const), index: fc.nat() }),
    fc.record({ kind: fc.constant("swap" as const), index: fc.nat() }),
    fc.record({ kind: fc.constant("garbage" as const), index: fc.nat(), frame: garbageFrame }),
  ),
  { maxLength: 4 },
);

/** Applies mutations to the frames and returns the whole body text (truncation may cut mid-frame). */
export function mutateFrames(frames: readonly string[], mutations: readonly Mutation[]): string {
  const out = [...frames];
  let cut: number | undefined;
  for (const mutation of mutations) {
    const index = out.length === 0 ? 0 : mutation.kind === "truncate" ? 0 : mutation.index % out.length;
    switch (mutation.kind) {
      case "truncate":
        cut = mutation.at;
        break;
      case "drop":
        out.splice(index, 1);
        break;
      case "duplicate":
        if (out.length > 0) out.splice(index, 0, out[index]);
        break;
      case "swap":
        if (index + 1 < out.length) [out[index], out[index + 1]] = [out[index + 1], out[index]];
        break;
      case "garbage":
        out.splice(index, 0, mutation.frame);
        break;
    }
  }
  const text = out.join("");
  return cut === undefined ? text : text.slice(0, cut % (text.length + 1));
}

const encoder = new TextEncoder();

/** Cuts the body's bytes at the given sizes (cycled), through multi-byte characters on purpose. */
export function chunkBytes(text: string, sizes: readonly number[]): Uint8Array[] {
  const bytes = encoder.encode(text);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let turn = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, sizes.length === 0 ? bytes.length : sizes[turn++ % sizes.length]);
    chunks.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}

export const chunkSizesArbitrary = fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 });
