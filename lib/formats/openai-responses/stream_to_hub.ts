/**
 * Responses SSE → hub events: reasoning summaries become thinking (signed with the encrypted reasoning item),
 * output text becomes text, function calls become tool_use blocks with streamed arguments.
 */
import type { HubStreamBuilder } from "../../hub/stream_builder.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamToHub, UpstreamCall } from "../../hub/wire_format.ts";
import { openaiResponsesUsageToHub } from "./convert_usage.ts";
import { openaiResponsesErrorToHub } from "./error_to_hub.ts";
import { openaiResponsesStopReasonToHub } from "./map_stop_reason.ts";
import { encodeReasoningSignature } from "./reasoning_signature.ts";
import {
  handledResponsesEventTypes,
  type OpenaiResponsesUpstreamItem,
  type ResponsesEvent,
  responsesEventSchema,
} from "./response_schema.ts";

type EventOf<T extends ResponsesEvent["type"]> = Extract<ResponsesEvent, { type: T }>;

interface ToolState {
  index: number;
  sawArguments: boolean;
}

interface ReasoningState {
  summaryIndex: number | undefined;
  sawText: boolean;
}

/** Items are found by id when the event has one, else by output index (both are registered on `added`). */
function itemKeys(itemId: string | null | undefined, outputIndex: number | null | undefined): string[] {
  const keys: string[] = [];
  if (itemId) keys.push(`id:${itemId}`);
  if (outputIndex !== null && outputIndex !== undefined) keys.push(`at:${outputIndex}`);
  return keys;
}

export function openaiResponsesStreamToHub(builder: HubStreamBuilder, call: UpstreamCall): StreamToHub {
  const model = call.model.upstreamModel;
  const tools = new Map<string, ToolState>();
  const reasoning = new Map<string, ReasoningState>();
  let sawRefusal = false;

  const find = <T>(map: Map<string, T>, itemId?: string | null, outputIndex?: number | null) => {
    for (const key of itemKeys(itemId, outputIndex)) {
      const state = map.get(key);
      if (state) return state;
    }
    return undefined;
  };
  const remember = <T>(
    map: Map<string, T>,
    state: T,
    itemId?: string | null,
    outputIndex?: number | null,
  ) => {
    for (const key of itemKeys(itemId, outputIndex)) map.set(key, state);
  };

  function itemAdded({ item, output_index }: EventOf<"response.output_item.added">): void {
    if (item.type === "function_call") startTool(item, output_index);
    else if (item.type === "reasoning") {
      remember(reasoning, { summaryIndex: undefined, sawText: false }, item.id, output_index);
    }
  }

  function startTool(item: OpenaiResponsesUpstreamItem, outputIndex: number | null | undefined): ToolState {
    const index = builder.toolStart(item.call_id || item.id || crypto.randomUUID(), item.name ?? "");
    const state = { index, sawArguments: false };
    remember(tools, state, item.id, outputIndex);
    if (item.arguments) {
      builder.toolArguments(index, item.arguments);
      state.sawArguments = true;
    }
    return state;
  }

  function reasoningDelta(
    event: EventOf<"response.reasoning_summary_text.delta" | "response.reasoning_text.delta">,
  ) {
    let state = find(reasoning, event.item_id, event.output_index);
    if (!state) {
      state = { summaryIndex: undefined, sawText: false };
      remember(reasoning, state, event.item_id, event.output_index);
    }
    const summaryIndex = event.type === "response.reasoning_summary_text.delta"
      ? event.summary_index ?? 0
      : 0;
    // Summary parts are separate paragraphs; without a break they run into each other.
    if (state.sawText && state.summaryIndex !== summaryIndex) builder.thinking("\n\n");
    state.summaryIndex = summaryIndex;
    state.sawText = true;
    builder.thinking(event.delta);
  }

  function argumentsDelta(event: EventOf<"response.function_call_arguments.delta">): void {
    const state = find(tools, event.item_id, event.output_index);
    if (!state) return;
    state.sawArguments = true;
    builder.toolArguments(state.index, event.delta);
  }

  function argumentsDone(event: EventOf<"response.function_call_arguments.done">): void {
    const state = find(tools, event.item_id, event.output_index);
    if (!state || state.sawArguments) return;
    state.sawArguments = true;
    builder.toolArguments(state.index, event.arguments);
  }

  function itemDone({ item, output_index }: EventOf<"response.output_item.done">): void {
    if (item.type === "function_call") {
      const state = find(tools, item.id, output_index) ?? startTool({ ...item, arguments: "" }, output_index);
      if (!state.sawArguments && item.arguments) builder.toolArguments(state.index, item.arguments);
      state.sawArguments = true;
      return;
    }
    if (item.type !== "reasoning") return;
    const state = find(reasoning, item.id, output_index);
    const summary = item.summary ?? [];
    if (!state?.sawText) builder.thinking(summary.map((part) => part.text).join("\n\n"));
    const hasThinking = state?.sawText || summary.some((part) => part.text.length > 0);
    // Reasoning with no visible summary still carries encrypted content the next turn needs.
    if (hasThinking || item.encrypted_content) builder.signature(encodeReasoningSignature(item, model));
  }

  function terminal(event: EventOf<"response.completed" | "response.incomplete">): void {
    const response = event.response;
    const status = response.status ?? (event.type === "response.incomplete" ? "incomplete" : "completed");
    const stopReason = openaiResponsesStopReasonToHub(status, response.incomplete_details?.reason, {
      sawToolCall: builder.sawToolUse,
      sawRefusal,
    });
    builder.finish(stopReason, openaiResponsesUsageToHub(response.usage));
  }

  function handle(event: ResponsesEvent): void {
    switch (event.type) {
      case "response.created":
        return builder.start();
      case "response.output_item.added":
        return itemAdded(event);
      case "response.output_item.done":
        return itemDone(event);
      case "response.reasoning_summary_text.delta":
      case "response.reasoning_text.delta":
        return reasoningDelta(event);
      case "response.output_text.delta":
        return builder.text(event.delta);
      case "response.refusal.delta":
        sawRefusal = true;
        return builder.text(event.delta);
      case "response.function_call_arguments.delta":
        return argumentsDelta(event);
      case "response.function_call_arguments.done":
        return argumentsDone(event);
      case "response.completed":
      case "response.incomplete":
        return terminal(event);
      case "response.failed": {
        const error = openaiResponsesErrorToHub(event.response.error);
        return builder.fail(error.kind, error.message);
      }
      case "error": {
        const error = openaiResponsesErrorToHub(event.error ?? event);
        return builder.fail(error.kind, error.message);
      }
    }
  }

  return {
    push(sse: SseEvent): void {
      if (sse.data === "[DONE]") return;
      const json = JSON.parse(sse.data) as { type?: unknown };
      const type = typeof json?.type === "string" ? json.type : sse.event;
      // Pings (OpenCode's cost frame), hosted-tool progress and future event types carry nothing for the hub.
      if (!handledResponsesEventTypes.has(type)) return;
      handle(responsesEventSchema.parse({ ...json, type }));
    },
  };
}
