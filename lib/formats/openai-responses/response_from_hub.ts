/**
 * A collected hub message → a Responses API `response` object; the item, usage and envelope builders here are
 * shared with the stream writer so both say the same thing.
 */
import type { ResponseBlock, ResponseMessage, StopReason, Usage } from "../../hub/schema.ts";
import { nowSeconds } from "../openai/now_seconds.ts";
import { blockAnnotations, webSearchItemFor } from "./web_search_items.ts";

export interface OpenaiResponsesWriterOptions {
  /** Names of the client's freeform (`custom`) tools, whose calls are `custom_tool_call` items. */
  customTools: ReadonlySet<string>;
  /** `include: ["web_search_call.action.sources"]`: list each search's hits in its web_search_call item. */
  webSearchSources?: boolean;
}

export type OpenaiResponsesOutputItem = Record<string, unknown> & { type: string };

export function newItemId(prefix: "rs" | "msg" | "fc" | "ctc"): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** `msg_abc` → `resp_abc`, so a client's id can be matched with the hub's in logs. */
export function responseIdFromHub(messageId: string): string {
  return `resp_${messageId.replace(/^msg_/, "")}`;
}

/** Hub usage → Responses usage: `input_tokens` includes cache reads and writes. */
export function responsesUsageFromHub(usage: Partial<Usage>): Record<string, unknown> {
  const cached = usage.cache_read_input_tokens ?? 0;
  const input = (usage.input_tokens ?? 0) + cached + (usage.cache_creation_input_tokens ?? 0);
  const output = usage.output_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** A stop reason as the Responses status: running out of tokens or a refusal is `incomplete`. */
export function responsesStatusFromHub(
  reason: StopReason | null,
): { status: "completed" | "incomplete"; incomplete_details: { reason: string } | null } {
  if (reason === "max_tokens") {
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  }
  if (reason === "refusal") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/**
 * A hub error kind as the `code` of a failed response: Codex acts on `context_length_exceeded` (compacts),
 * `insufficient_quota` (stops) and `rate_limit_exceeded` (waits and retries).
 */
export function responsesErrorCode(kind: string, message: string): string {
  if (kind === "rate_limit_error") return "rate_limit_exceeded";
  if (kind === "billing_error") return "insufficient_quota";
  if (kind === "invalid_request_error") {
    return message.startsWith("prompt is too long") ? "context_length_exceeded" : "invalid_prompt";
  }
  return "server_error";
}

export interface ResponseEnvelope {
  id: string;
  createdAt: number;
  model: string;
}

/** The `response` object, as sent in `response.created` and the terminal events and as the non-stream body. */
export function responseObject(
  envelope: ResponseEnvelope,
  fields: {
    status: string;
    output: OpenaiResponsesOutputItem[];
    usage?: Record<string, unknown> | null;
    incomplete_details?: { reason: string } | null;
    error?: { code: string; message: string } | null;
  },
): Record<string, unknown> {
  return {
    id: envelope.id,
    object: "response",
    created_at: envelope.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete_details ?? null,
    instructions: null,
    metadata: {},
    model: envelope.model,
    output: fields.output,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: "auto",
    tools: [],
    top_p: null,
    usage: fields.usage ?? null,
  };
}

/** The reasoning item for a thinking block; the hub signature rides in `encrypted_content` for the next turn. */
export function reasoningItem(id: string, text: string, signature: string): OpenaiResponsesOutputItem {
  const item: OpenaiResponsesOutputItem = {
    id,
    type: "reasoning",
    summary: text ? [{ type: "summary_text", text }] : [],
  };
  if (signature) item.encrypted_content = signature;
  return item;
}

export function messageItem(
  id: string,
  text: string,
  status: string,
  annotations: Record<string, unknown>[] = [],
): OpenaiResponsesOutputItem {
  return {
    id,
    type: "message",
    role: "assistant",
    status,
    content: [{ type: "output_text", text, annotations, logprobs: [] }],
  };
}

/** A tool_use as a `function_call`, or a `custom_tool_call` for freeform tools (input unwrapped). */
export function toolCallItem(
  block: { id: string; name: string },
  argumentsJson: string,
  status: string,
  options: OpenaiResponsesWriterOptions,
): OpenaiResponsesOutputItem {
  if (options.customTools.has(block.name)) {
    return {
      id: newItemId("ctc"),
      type: "custom_tool_call",
      status,
      call_id: block.id,
      name: block.name,
      input: customInput(argumentsJson),
    };
  }
  return {
    id: newItemId("fc"),
    type: "function_call",
    status,
    call_id: block.id,
    name: block.name,
    arguments: argumentsJson,
  };
}

/** `{"input":"…"}` → `…`; anything else is passed on as the text it is. */
export function customInput(argumentsJson: string): string {
  try {
    const parsed = JSON.parse(argumentsJson) as { input?: unknown };
    if (typeof parsed?.input === "string") return parsed.input;
  } catch { /* not JSON: the model wrote the raw input */ }
  return argumentsJson;
}

function itemFromBlock(
  block: ResponseBlock,
  options: OpenaiResponsesWriterOptions,
  content: readonly ResponseBlock[],
): OpenaiResponsesOutputItem | undefined {
  switch (block.type) {
    case "text":
      return messageItem(newItemId("msg"), block.text, "completed", blockAnnotations(block));
    case "server_tool_use":
      return webSearchItemFor(block, content, options.webSearchSources ?? false);
    case "thinking":
      return reasoningItem(newItemId("rs"), block.thinking, block.signature);
    case "tool_use":
      return toolCallItem(block, JSON.stringify(block.input ?? {}), "completed", options);
    default:
      return undefined;
  }
}

export function openaiResponsesResponseFromHub(
  message: ResponseMessage,
  options: OpenaiResponsesWriterOptions,
): Record<string, unknown> {
  const output = message.content.flatMap((block) => itemFromBlock(block, options, message.content) ?? []);
  const response = responseObject(
    { id: responseIdFromHub(message.id), createdAt: nowSeconds(), model: message.model },
    { ...responsesStatusFromHub(message.stop_reason), output, usage: responsesUsageFromHub(message.usage) },
  );
  response.output_text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  return response;
}
