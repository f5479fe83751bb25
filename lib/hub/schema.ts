/**
 * Anthropic Messages wire shapes. These are also the hub: every client format converts its request to
 * `HubRequest`, and every upstream translator emits `HubEvent`s (Anthropic's own stream events).
 * Inbound schemas are loose (unknown fields survive for pass-through) but strict on the types we read.
 */
import { z } from "zod";

const cacheControl = z.looseObject({ type: z.string() }).optional();

export const textBlockSchema = z.looseObject({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControl,
});

const imageSourceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
  z.looseObject({ type: z.literal("file"), file_id: z.string() }),
]);

export const imageBlockSchema = z.looseObject({
  type: z.literal("image"),
  source: imageSourceSchema,
  cache_control: cacheControl,
});

export const documentBlockSchema = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: z.string() }),
  title: z.string().nullish(),
  cache_control: cacheControl,
});

export const toolUseBlockSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControl,
});

/** Claude Code's tool search answers with these inside a tool_result: "this deferred tool is now loaded". */
export const toolReferenceBlockSchema = z.looseObject({
  type: z.literal("tool_reference"),
  tool_name: z.string(),
});

export const searchResultBlockSchema = z.looseObject({
  type: z.literal("search_result"),
  source: z.string(),
  title: z.string(),
  content: z.array(textBlockSchema),
});

const userParts = [textBlockSchema, imageBlockSchema, documentBlockSchema] as const;
export const toolResultBlockSchema = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([
    z.string(),
    // Search results from a client's own RAG tool too (lib/web/web_history.ts turns them into text).
    z.array(z.union([...userParts, toolReferenceBlockSchema, searchResultBlockSchema])),
  ]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

export const thinkingBlockSchema = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().optional(),
});

export const redactedThinkingBlockSchema = z.looseObject({
  type: z.literal("redacted_thinking"),
  data: z.string(),
});

/** Server-tool blocks a client echoes back in assistant history; lib/web/ rewrites them before any upstream. */
export const serverToolUseBlockSchema = z.looseObject({
  type: z.literal("server_tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
export const webToolResultBlockSchema = z.looseObject({
  type: z.enum(["web_search_tool_result", "web_fetch_tool_result"]),
  tool_use_id: z.string(),
  content: z.unknown(),
});

export const contentBlockSchema = z.discriminatedUnion("type", [
  textBlockSchema,
  imageBlockSchema,
  documentBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  serverToolUseBlockSchema,
  webToolResultBlockSchema,
  searchResultBlockSchema,
]);

export const messageSchema = z.looseObject({
  // Claude Code puts `role:"system"` entries inside messages[] (the environment block).
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

export const toolSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  /** Server tools (`web_search_20250305`…) carry a versioned type; custom tools have none or "custom". */
  type: z.string().optional(),
  defer_loading: z.boolean().optional(),
  cache_control: cacheControl,
});

export const toolChoiceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal("tool"),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal("none") }),
]);

export const thinkingConfigSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().nonnegative() }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive"), display: z.string().optional() }),
]);

export const effortSchema = z.enum(["minimal", "low", "medium", "high", "xhigh", "max"]);

export const requestSchema = z.looseObject({
  model: z.string().min(1),
  // Anthropic's own 400 (on count_tokens too), rather than an empty conversation sent upstream and retried.
  messages: z.array(messageSchema).min(1, "at least one message is required"),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingConfigSchema.optional(),
  output_config: z.looseObject({ effort: effortSchema.optional() }).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
});

export const countTokensRequestSchema = requestSchema.extend({
  max_tokens: z.number().int().positive().optional(),
});

export type HubRequest = z.infer<typeof requestSchema>;
export type HubMessage = z.infer<typeof messageSchema>;
export type HubContentBlock = z.infer<typeof contentBlockSchema>;
/** Image and document blocks: what a wire without the hub's sources takes as inline data or a URL. */
export type HubMediaBlock = Extract<HubContentBlock, { type: "image" | "document" }>;
export type HubTool = z.infer<typeof toolSchema>;
export type HubToolChoice = z.infer<typeof toolChoiceSchema>;
export type HubThinkingConfig = z.infer<typeof thinkingConfigSchema>;
export type Effort = z.infer<typeof effortSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

// ---- What the gateway emits: Anthropic's response and stream events (the hub events). ----

export const stopReasonSchema = z.enum([
  "end_turn",
  "max_tokens",
  "stop_sequence",
  "tool_use",
  "pause_turn",
  "refusal",
]);
export type StopReason = z.infer<typeof stopReasonSchema>;

export const usageSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative().optional(),
  cache_creation_input_tokens: z.number().int().nonnegative().optional(),
  /** Searches and fetches the gateway ran for emulated server tools (lib/web/). */
  server_tool_use: z.object({ web_search_requests: z.number(), web_fetch_requests: z.number() }).optional(),
});
export type Usage = z.infer<typeof usageSchema>;

export const citationSchema = z.looseObject({ type: z.string() }); // Anthropic's, or url_citation (lib/web/)
export type Citation = z.infer<typeof citationSchema>;
export const responseBlockSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string(), citations: z.array(citationSchema).optional() }),
  z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal("redacted_thinking"), data: z.string() }),
  z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal("server_tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({
    type: z.enum(["web_search_tool_result", "web_fetch_tool_result"]),
    tool_use_id: z.string(),
    content: z.unknown(),
  }),
]);
export type ResponseBlock = z.infer<typeof responseBlockSchema>;

export const responseMessageSchema = z.object({
  id: z.string(),
  type: z.literal("message"),
  role: z.literal("assistant"),
  model: z.string(),
  content: z.array(responseBlockSchema),
  stop_reason: stopReasonSchema.nullable(),
  stop_sequence: z.string().nullable(),
  usage: usageSchema,
});
export type ResponseMessage = z.infer<typeof responseMessageSchema>;

const blockDeltaSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text_delta"), text: z.string() }),
  z.object({ type: z.literal("thinking_delta"), thinking: z.string() }),
  z.object({ type: z.literal("signature_delta"), signature: z.string() }),
  z.object({ type: z.literal("input_json_delta"), partial_json: z.string() }),
  z.object({ type: z.literal("citations_delta"), citation: citationSchema }),
]);

export const hubEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message_start"), message: responseMessageSchema }),
  z.object({
    type: z.literal("content_block_start"),
    index: z.number().int(),
    content_block: responseBlockSchema,
  }),
  z.object({ type: z.literal("content_block_delta"), index: z.number().int(), delta: blockDeltaSchema }),
  z.object({ type: z.literal("content_block_stop"), index: z.number().int() }),
  z.object({
    type: z.literal("message_delta"),
    delta: z.object({ stop_reason: stopReasonSchema.nullable(), stop_sequence: z.string().nullable() }),
    usage: usageSchema.partial(),
  }),
  z.object({ type: z.literal("message_stop") }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("error"), error: z.object({ type: z.string(), message: z.string() }) }),
]);
export type HubEvent = z.infer<typeof hubEventSchema>;
