/** Responses and Gemini answers of the load benchmark's fake upstream (fake_upstream.ts), built from a Reply. */
import type { Reply } from "./replies.ts";

type Json = Record<string, unknown>;

/** Token counts every fake answer reports. */
export const usage = { input: 21_000, cached: 18_000, output: 1_200 };

const responsesUsage = {
  input_tokens: usage.input,
  input_tokens_details: { cached_tokens: usage.cached },
  output_tokens: usage.output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: usage.input + usage.output,
};

function responsesOutput(reply: Reply): Json[] {
  const output: Json[] = [{
    type: "message",
    id: "msg_bench",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text: reply.text, annotations: [] }],
  }];
  if (reply.tool) {
    output.push({
      type: "function_call",
      id: "fc_bench",
      call_id: "call_bench_1",
      name: reply.tool.name,
      arguments: JSON.stringify(reply.tool.input),
      status: "completed",
    });
  }
  return output;
}

export function responsesEvents(model: string, reply: Reply): Json[] {
  const response = {
    id: "resp_bench",
    object: "response",
    created_at: 1_763_700_000,
    model,
    status: "in_progress",
    output: [],
  };
  const events: Json[] = [{ type: "response.created", response }, { type: "response.in_progress", response }];
  const base = { item_id: "msg_bench", output_index: 0, content_index: 0 };
  events.push({
    type: "response.output_item.added",
    output_index: 0,
    item: { type: "message", id: "msg_bench", role: "assistant", status: "in_progress", content: [] },
  });
  events.push({
    type: "response.content_part.added",
    ...base,
    part: { type: "output_text", text: "", annotations: [] },
  });
  for (const delta of reply.pieces) {
    events.push({ type: "response.output_text.delta", ...base, delta, logprobs: [] });
  }
  const output = responsesOutput(reply);
  const message = output[0] as { content: Json[] };
  events.push({ type: "response.output_text.done", ...base, text: reply.text, logprobs: [] });
  events.push({ type: "response.content_part.done", ...base, part: message.content[0] });
  events.push({ type: "response.output_item.done", output_index: 0, item: output[0] });
  if (reply.tool) {
    const added = { ...output[1], arguments: "", status: "in_progress" };
    events.push({ type: "response.output_item.added", output_index: 1, item: added });
    for (const delta of reply.tool.fragments) {
      events.push({
        type: "response.function_call_arguments.delta",
        item_id: "fc_bench",
        output_index: 1,
        delta,
      });
    }
    events.push({
      type: "response.function_call_arguments.done",
      item_id: "fc_bench",
      output_index: 1,
      name: reply.tool.name,
      arguments: JSON.stringify(reply.tool.input),
    });
    events.push({ type: "response.output_item.done", output_index: 1, item: output[1] });
  }
  events.push({
    type: "response.completed",
    response: { ...response, status: "completed", output, usage: responsesUsage },
  });
  return events.map((event, sequence_number) => ({ ...event, sequence_number }));
}

export function responsesBody(model: string, reply: Reply): Json {
  return {
    id: "resp_bench",
    object: "response",
    created_at: 1_763_700_000,
    model,
    status: "completed",
    output: responsesOutput(reply),
    usage: responsesUsage,
  };
}

export function geminiChunks(model: string, reply: Reply): Json[] {
  const chunk = (parts: Json[], extra: Json = {}) => ({
    candidates: [{ content: { role: "model", parts }, index: 0, ...extra }],
    modelVersion: model,
  });
  const chunks: Json[] = reply.pieces.map((text) => chunk([{ text }]));
  if (reply.tool) chunks.push(chunk([{ functionCall: { name: reply.tool.name, args: reply.tool.input } }]));
  const last = chunk([{ text: "" }], { finishReason: "STOP" }) as Json;
  last.usageMetadata = {
    promptTokenCount: usage.input,
    cachedContentTokenCount: usage.cached,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output,
  };
  chunks.push(last);
  return chunks;
}

// Answers never change per model, so each is encoded once.
