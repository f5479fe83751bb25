/**
 * Anthropic SSE from an upstream → builder calls, for clients that do not speak Anthropic (an OpenAI client
 * on MiniMax) and for non-stream calls. Block indices are the builder's own; an upstream's own server-tool
 * blocks (Claude on Zen running web_search) and their text's citations are carried. Thinking signatures and
 * redacted_thinking data leave wrapped in the gateway's envelope naming their origin (thinking_signature.ts).
 */
import { z } from "zod";
import { StartedBlocks } from "../../stream/started_blocks.ts";
import type { HubStreamBuilder } from "../../hub/stream_builder.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamToHub } from "../../hub/wire_format.ts";
import { anthropicUsageToHub } from "./convert_usage.ts";
import { anthropicErrorToHub } from "./error_to_hub.ts";
import { citationSchema, type Usage } from "../../hub/schema.ts";
import { anthropicStopReasonToHub } from "./map_stop_reason.ts";
import { anthropicEventType } from "./sse_event_type.ts";
import { wrapAnthropicSignature } from "./thinking_signature.ts";

const usageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});

/** Result blocks an upstream that runs the server tools sends complete in their start. */
const WHOLE_BLOCKS = new Set(["web_search_tool_result", "web_fetch_tool_result"]);

const messageStartSchema = z.looseObject({ message: z.looseObject({ usage: usageSchema.nullish() }) });
/** Fields a block start and a block delta share; each adds its own below. */
const blockFields = {
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
};
const blockStartSchema = z.looseObject({
  index: z.number(),
  content_block: z.looseObject({
    ...blockFields,
    data: z.string().nullish(),
    id: z.string().nullish(),
    name: z.string().nullish(),
  }),
});
const blockDeltaSchema = z.looseObject({
  index: z.number(),
  delta: z.looseObject({ ...blockFields, partial_json: z.string().nullish() }),
});
const blockStopSchema = z.looseObject({ index: z.number() });
const messageDeltaSchema = z.looseObject({
  delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
  usage: usageSchema.nullish(),
});

/** `origin` is the upstream's (anthropicSignatureOrigin): its signatures are only ever restored for it. */
export function anthropicStreamToHub(builder: HubStreamBuilder, origin: string): StreamToHub {
  /**
   * Upstream block index → what it became in the hub (tool blocks need their hub index for arguments; a
   * thinking block keeps a signature its start carried, sent at its stop unless a signature_delta came).
   */
  const blocks = new Map<
    number,
    { kind: "text" } | { kind: "thinking"; signature?: string } | { kind: "tool"; hubIndex: number }
  >();
  const startedBlocks = new StartedBlocks();
  let usage: Partial<Usage> = {};
  let stopReason: string | null | undefined;
  let stopSequence: string | null = null;

  const handlers: Record<string, (data: unknown) => void> = {
    message_start(data) {
      usage = anthropicUsageToHub(messageStartSchema.parse(data).message.usage);
      builder.start(usage);
    },
    content_block_start(data) {
      const { index, content_block: block } = blockStartSchema.parse(data);
      // Each block index opens once and no two tool calls share an id (the class of chat's index rules).
      startedBlocks.claim(index, block.type === "tool_use" ? block.id : undefined);
      if (block.type === "text") {
        blocks.set(index, { kind: "text" });
        builder.text(block.text ?? "");
      } else if (block.type === "thinking") {
        // Anthropic sends the signature as a delta; an upstream that puts it in the start has it sent at the
        // block's stop (the builder's signature() closes the block, and thinking deltas may still follow).
        blocks.set(index, { kind: "thinking", ...(block.signature ? { signature: block.signature } : {}) });
        builder.thinking(block.thinking ?? "");
      } else if (block.type === "redacted_thinking") {
        builder.redactedThinking(wrapAnthropicSignature(block.data ?? "", origin));
      } else if (block.type === "tool_use" || block.type === "server_tool_use") {
        const hubIndex = builder.toolStart(block.id ?? "", block.name ?? "", block.type);
        blocks.set(index, { kind: "tool", hubIndex });
      } else if (WHOLE_BLOCKS.has(block.type)) {
        builder.wholeBlock(block as Parameters<HubStreamBuilder["wholeBlock"]>[0]);
      }
    },
    content_block_delta(data) {
      const { index, delta } = blockDeltaSchema.parse(data);
      const block = blocks.get(index);
      if (!block) return;
      if (delta.type === "text_delta") builder.text(delta.text ?? "");
      else if (delta.type === "thinking_delta") builder.thinking(delta.thinking ?? "");
      else if (delta.type === "signature_delta" && delta.signature) {
        if (block.kind === "thinking") delete block.signature;
        builder.signature(wrapAnthropicSignature(delta.signature, origin));
      } else if (delta.type === "citations_delta" && block.kind === "text") {
        // A citation without a type is not one a client could read: skipped, the text kept.
        const citation = citationSchema.safeParse((delta as { citation?: unknown }).citation);
        if (citation.success) builder.citation(citation.data);
      } else if (delta.type === "input_json_delta" && block.kind === "tool") {
        builder.toolArguments(block.hubIndex, delta.partial_json ?? "");
      }
    },
    content_block_stop(data) {
      const index = blockStopSchema.parse(data).index;
      const block = blocks.get(index);
      if (!block) return;
      blocks.delete(index);
      if (block.kind === "thinking" && block.signature) {
        builder.signature(wrapAnthropicSignature(block.signature, origin));
      }
      builder.closeBlock();
    },
    message_delta(data) {
      const parsed = messageDeltaSchema.parse(data);
      stopReason = parsed.delta.stop_reason ?? stopReason;
      stopSequence = parsed.delta.stop_sequence ?? stopSequence;
      usage = { ...usage, ...anthropicUsageToHub(parsed.usage) };
    },
    message_stop() {
      builder.finish(
        anthropicStopReasonToHub(stopReason, { sawToolUse: builder.sawToolUse }),
        usage,
        stopSequence,
      );
    },
  };

  return {
    push(event: SseEvent): void {
      // Data-only frames (no `event:` line) are named by their `"type"`.
      const type = anthropicEventType(event);
      if (type === "error") {
        const error = anthropicErrorToHub(event.data);
        builder.fail(error.kind, error.message);
        return;
      }
      // `ping` (OpenCode's trailing cost ping included) and unknown events carry nothing for the hub.
      if (Object.hasOwn(handlers, type)) handlers[type](JSON.parse(event.data));
    },
  };
}
