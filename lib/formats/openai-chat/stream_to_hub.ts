/**
 * Chat Completions SSE → hub events. Reasoning (`reasoning_content`, `reasoning`, `reasoning_details`, or
 * `<think>` in content) becomes signed thinking blocks, tool calls are keyed by `index`, and the message is
 * finished only once both the finish reason and the trailing usage chunk have had their chance to arrive.
 */
import type { HubStreamBuilder } from "../../hub/stream_builder.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamToHub } from "../../hub/wire_format.ts";
import { openaiChatUsageToHub } from "./convert_usage.ts";
import { type OpenaiChatError, openaiChatErrorToHub } from "./error_to_hub.ts";
import { openaiChatStopReasonToHub } from "./map_stop_reason.ts";
import {
  type OpenaiChatChunk,
  openaiChatChunkSchema,
  type OpenaiChatToolCallDelta,
  type OpenaiChatUsage,
} from "./response_schema.ts";
import { createThinkTagSplitter } from "./think_tag_splitter.ts";
import { OPENAI_CHAT_SIGNATURE } from "../openai/chat_signature.ts";

interface ToolSlot {
  id: string;
  name: string;
  /** The builder's handle once started, -1 while the name is still unknown. */
  block: number;
  /** Argument text that arrived before the name (some hosts send the name late). */
  early: string;
}

/** Per-stream translator; all state lives in this call, so concurrent streams never share any. */
export function openaiChatStreamToHub(builder: HubStreamBuilder): StreamToHub {
  let done = false;
  let finishReason: string | undefined;
  let usage: OpenaiChatUsage | undefined;
  let thinkingOpen = false;
  const tools: ToolSlot[] = [];

  function thinking(text: string): void {
    if (text.length === 0) return;
    builder.thinking(text);
    thinkingOpen = true;
  }

  /** Claude Code replays thinking only with a signature, so each block is signed before text or tools. */
  function closeThinking(): void {
    if (!thinkingOpen) return;
    thinkingOpen = false;
    builder.signature(OPENAI_CHAT_SIGNATURE);
  }

  const splitter = createThinkTagSplitter({
    thinking,
    text(text: string): void {
      if (text.length === 0) return;
      closeThinking();
      builder.text(text);
    },
  });

  function startTool(slot: ToolSlot, key: number): void {
    splitter.flush();
    closeThinking();
    // Without an id the client could not answer the call; hosts that omit it get one minted here.
    slot.block = builder.toolStart(
      slot.id || `toolu_bridge_${key}_${crypto.randomUUID().slice(0, 8)}`,
      slot.name,
    );
    if (slot.early.length > 0) builder.toolArguments(slot.block, slot.early);
    slot.early = "";
  }

  function toolDelta(call: OpenaiChatToolCallDelta, position: number): void {
    const key = call.index ?? position;
    const name = call.function?.name;
    const args = call.function?.arguments;
    let slot = tools[key];
    if (slot === undefined) {
      slot = { id: call.id ?? "", name: name ?? "", block: -1, early: "" };
      tools[key] = slot;
    } else {
      if (!slot.id && call.id) slot.id = call.id;
      if (!slot.name && name) slot.name = name;
    }
    if (slot.block !== -1) {
      // The builder holds fragments of a call whose block cannot open yet (interleaved parallel calls).
      if (args) builder.toolArguments(slot.block, args);
      return;
    }
    if (args) slot.early += args;
    if (slot.name) startTool(slot, key);
  }

  function chunk(data: OpenaiChatChunk): void {
    if (data.error) return fail(data.error);
    builder.start();
    if (data.usage) usage = data.usage;
    const choices = data.choices;
    if (!choices) return;
    for (let index = 0; index < choices.length; index++) {
      const choice = choices[index];
      // n > 1 is never requested; a stray second choice must not interleave with the first.
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta;
      if (delta) {
        // Hosts that send both `reasoning` and `reasoning_details` repeat the same text: read only one.
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (reasoning) thinking(reasoning);
        else if (delta.reasoning_details) {
          for (const detail of delta.reasoning_details) if (detail.text) thinking(detail.text);
        }
        if (delta.content) splitter.push(delta.content);
        const calls = delta.tool_calls;
        if (calls) {
          for (let position = 0; position < calls.length; position++) toolDelta(calls[position], position);
        }
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }

  /** `[DONE]`, or the body closing after a finish reason: flush what is held back and finish the message. */
  function complete(): void {
    done = true;
    // [DONE] with nothing before it is an empty answer, not an empty success.
    if (finishReason === undefined && !builder.sawContent && !usage) return builder.end();
    splitter.flush();
    for (let key = 0; key < tools.length; key++) {
      const slot = tools[key];
      if (slot !== undefined && slot.block === -1) startTool(slot, key);
    }
    closeThinking();
    builder.finish(
      openaiChatStopReasonToHub(finishReason, { sawToolUse: builder.sawToolUse }),
      openaiChatUsageToHub(usage),
    );
  }

  function fail(error: OpenaiChatError): void {
    done = true;
    const gatewayError = openaiChatErrorToHub(error);
    builder.fail(gatewayError.kind, gatewayError.message);
  }

  return {
    push(event: SseEvent): void {
      if (done || builder.finished) return;
      const data = event.data;
      if (data === "[DONE]") return complete();
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        if (event.event === "error") return fail(data);
        done = true;
        return builder.fail("api_error", `Malformed upstream event: ${data.slice(0, 200)}`);
      }
      if (event.event === "error") {
        const root = json as { error?: unknown } | null;
        json = { error: root?.error ?? root ?? "Upstream stream error" };
      }
      const parsed = openaiChatChunkSchema.safeParse(json);
      if (!parsed.success) {
        done = true;
        const issue = parsed.error.issues[0];
        return builder.fail(
          "api_error",
          `Malformed upstream event: ${issue?.path.join(".")}: ${issue?.message}`,
        );
      }
      chunk(parsed.data);
    },
    end(): void {
      // A body that closes after the finish reason but before `[DONE]` is complete; anything else is left to
      // builder.end(), which turns it into an error event rather than a clean end_turn.
      if (!done && !builder.finished && finishReason !== undefined) complete();
    },
  };
}
