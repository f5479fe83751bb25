/**
 * Writes hub events as Responses API SSE: numbered events (`sequence_number`), one output item per hub block,
 * and one terminal event (`response.completed`, `.incomplete` or `.failed`). openai-node's ResponseStream
 * checks the order strictly: `response.created` first, output indices appended 0, 1, 2…, deltas for live items.
 */
import type { HubEvent, StopReason, Usage } from "../../hub/schema.ts";
import type { StreamFromHub } from "../../hub/wire_format.ts";
import {
  customInput,
  messageItem,
  newItemId,
  type OpenaiResponsesOutputItem,
  type OpenaiResponsesWriterOptions,
  reasoningItem,
  type ResponseEnvelope,
  responseIdFromHub,
  responseObject,
  responsesErrorCode,
  responsesStatusFromHub,
  responsesUsageFromHub,
  toolCallItem,
} from "./response_from_hub.ts";
import { nowSeconds } from "../openai/now_seconds.ts";
import { openaiStreamWriter } from "../openai/openai_stream_writer.ts";
import { urlAnnotation, WebSearchCallStream } from "./web_search_items.ts";

type OpenItem =
  | { kind: "reasoning"; outputIndex: number; id: string; text: string; signature: string }
  | { kind: "text"; outputIndex: number; id: string; text: string; annotations: Record<string, unknown>[] }
  | { kind: "tool"; outputIndex: number; item: OpenaiResponsesOutputItem; json: string; closed: boolean };

export function openaiResponsesStreamFromHub(options: OpenaiResponsesWriterOptions): StreamFromHub {
  let sequence = 0;
  let envelope: ResponseEnvelope = {
    id: responseIdFromHub(newItemId("msg")),
    createdAt: nowSeconds(),
    model: "",
  };
  let started = false;
  let finished = false;
  let stopReason: StopReason | null = null;
  let usage: Partial<Usage> = {};
  const output: OpenaiResponsesOutputItem[] = [];
  /** Hub block index → the output item it feeds. */
  const items = new Map<number, OpenItem>();

  const emit = (type: string, payload: Record<string, unknown>): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...payload })}\n\n`;
  const searches = new WebSearchCallStream(emit, output, options.webSearchSources ?? false);

  function start(): string {
    if (started) return "";
    started = true;
    const response = responseObject(envelope, { status: "in_progress", output: [] });
    return emit("response.created", { response }) + emit("response.in_progress", { response });
  }

  function open(index: number, item: OpenItem, added: OpenaiResponsesOutputItem): string {
    items.set(index, item);
    output.push(added);
    return emit("response.output_item.added", { output_index: item.outputIndex, item: added });
  }

  function blockStart(event: Extract<HubEvent, { type: "content_block_start" }>): string {
    const block = event.content_block;
    const outputIndex = output.length;
    const search = searches.start(event);
    if (search !== undefined) return search;
    if (block.type === "thinking") {
      const item = { kind: "reasoning" as const, outputIndex, id: newItemId("rs"), text: "", signature: "" };
      return open(event.index, item, reasoningItem(item.id, "", "")) +
        emit("response.reasoning_summary_part.added", {
          item_id: item.id,
          output_index: outputIndex,
          summary_index: 0,
          part: { type: "summary_text", text: "" },
        });
    }
    if (block.type === "text") {
      const item = { kind: "text" as const, outputIndex, id: newItemId("msg"), text: "", annotations: [] };
      return open(event.index, item, { ...messageItem(item.id, "", "in_progress"), content: [] }) +
        emit("response.content_part.added", {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          part: { type: "output_text", text: "", annotations: [], logprobs: [] },
        });
    }
    if (block.type === "tool_use") {
      const added = toolCallItem(block, "", "in_progress", options);
      if (added.type === "custom_tool_call") added.input = "";
      return open(event.index, { kind: "tool", outputIndex, item: added, json: "", closed: false }, added);
    }
    return "";
  }

  function blockDelta(event: Extract<HubEvent, { type: "content_block_delta" }>): string {
    const item = items.get(event.index);
    const delta = event.delta;
    if (searches.delta(event) || !item) return "";
    if (item.kind === "reasoning") {
      if (delta.type === "signature_delta") item.signature += delta.signature;
      if (delta.type !== "thinking_delta") return "";
      item.text += delta.thinking;
      return emit("response.reasoning_summary_text.delta", {
        item_id: item.id,
        output_index: item.outputIndex,
        summary_index: 0,
        delta: delta.thinking,
      });
    }
    if (item.kind === "text") {
      const annotation = delta.type === "citations_delta" ? urlAnnotation(delta.citation) : undefined;
      if (annotation) {
        item.annotations.push(annotation);
        const at = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
        return emit("response.output_text.annotation.added", {
          ...at,
          annotation_index: item.annotations.length - 1,
          annotation,
        });
      }
      if (delta.type !== "text_delta") return "";
      item.text += delta.text;
      return emit("response.output_text.delta", {
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: 0,
        delta: delta.text,
        logprobs: [],
      });
    }
    if (delta.type !== "input_json_delta") return "";
    item.json += delta.partial_json;
    // Freeform input is JSON-wrapped in the hub; it is sent whole once complete.
    if (item.item.type === "custom_tool_call") return "";
    return emit("response.function_call_arguments.delta", {
      item_id: item.item.id,
      output_index: item.outputIndex,
      delta: delta.partial_json,
    });
  }

  /** Text and reasoning items end with their block; tool items at the end (late argument fragments may follow). */
  function blockStop(index: number): string {
    const item = items.get(index);
    if (!item) return searches.stop(index) ?? "";
    if (item.kind === "tool") {
      item.closed = true;
      return "";
    }
    items.delete(index);
    if (item.kind === "reasoning") {
      const done = reasoningItem(item.id, item.text, item.signature);
      output[item.outputIndex] = done;
      const base = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
      return emit("response.reasoning_summary_text.done", { ...base, text: item.text }) +
        emit("response.reasoning_summary_part.done", {
          ...base,
          part: { type: "summary_text", text: item.text },
        }) +
        emit("response.output_item.done", { output_index: item.outputIndex, item: done });
    }
    const done = messageItem(item.id, item.text, "completed", item.annotations);
    output[item.outputIndex] = done;
    const base = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
    return emit("response.output_text.done", { ...base, text: item.text, logprobs: [] }) +
      emit("response.content_part.done", { ...base, part: (done.content as unknown[])[0] }) +
      emit("response.output_item.done", { output_index: item.outputIndex, item: done });
  }

  function closeAll(): string {
    let out = searches.closeAll();
    for (const [index, item] of items) {
      if (item.kind !== "tool") {
        out += blockStop(index);
        continue;
      }
      items.delete(index);
      const done: OpenaiResponsesOutputItem = { ...item.item, status: "completed" };
      const base = { item_id: item.item.id, output_index: item.outputIndex };
      if (done.type === "custom_tool_call") {
        done.input = customInput(item.json);
        out += emit("response.custom_tool_call_input.delta", { ...base, delta: done.input }) +
          emit("response.custom_tool_call_input.done", { ...base, input: done.input });
      } else {
        done.arguments = item.json || "{}";
        out += emit("response.function_call_arguments.done", {
          ...base,
          name: item.item.name,
          arguments: done.arguments,
        });
      }
      output[item.outputIndex] = done;
      out += emit("response.output_item.done", { output_index: item.outputIndex, item: done });
    }
    return out;
  }

  function one(event: HubEvent): string {
    if (finished) return "";
    switch (event.type) {
      case "message_start":
        envelope = {
          id: responseIdFromHub(event.message.id),
          createdAt: nowSeconds(),
          model: event.message.model,
        };
        usage = { ...event.message.usage };
        return start();
      case "content_block_start":
        return start() + blockStart(event);
      case "content_block_delta":
        return blockDelta(event);
      case "content_block_stop":
        return blockStop(event.index);
      case "message_delta":
        stopReason = event.delta.stop_reason;
        usage = { ...usage, ...event.usage };
        return "";
      case "message_stop": {
        finished = true;
        const closing = start() + closeAll();
        const status = responsesStatusFromHub(stopReason);
        const response = responseObject(envelope, {
          ...status,
          output,
          usage: responsesUsageFromHub(usage),
        });
        return closing + emit(`response.${status.status}`, { response });
      }
      case "error": {
        finished = true;
        const closing = start() + closeAll();
        const error = {
          code: responsesErrorCode(event.error.type, event.error.message),
          message: event.error.message,
        };
        const response = responseObject(envelope, { status: "failed", output, error });
        return closing + emit("response.failed", { response });
      }
      default:
        return "";
    }
  }

  return openaiStreamWriter(one);
}
