/**
 * A client's Chat Completions request → the hub request (Anthropic Messages shape). The helpers for what
 * Chat and Responses share (images, reasoning effort, JSON output, turn merging) live here too.
 */
import { GatewayError } from "../../errors/gateway_error.ts";
import { JsonTooDeepError, parseJsonWithinDepth, tooDeep } from "../../http/json_depth.ts";
import { encodeSignature } from "../../hub/signature.ts";
import type {
  Effort,
  HubContentBlock,
  HubMessage,
  HubRequest,
  HubThinkingConfig,
  HubTool,
  HubToolChoice,
} from "../anthropic/schema.ts";
import type {
  OpenaiChatMessage,
  OpenaiChatRequest,
  OpenaiChatToolChoice,
  OpenaiChatUserPart,
  ReasoningEffort,
} from "./request_schema.ts";

export interface ToHubOptions {
  /** `max_tokens` when the client sets none: the model's output limit, as OpenAI does. */
  defaultMaxTokens: number;
}

type Block = HubContentBlock;

/** Chat reasoning carries no signature; this one marks it as ours, so it is replayed only to chat upstreams. */
export const OPENAI_CHAT_THINKING_SIGNATURE = encodeSignature({ provider: "openai-chat", payload: "" });

/**
 * @example openaiChatRequestToHub({ model: "m", messages: [{ role: "user", content: "hi" }] }, { defaultMaxTokens: 100 })
 * // { model: "m", max_tokens: 100, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] }
 */
export function openaiChatRequestToHub(request: OpenaiChatRequest, options: ToHubOptions): HubRequest {
  if ((request.n ?? 1) > 1) {
    throw new GatewayError("invalid_request_error", "n: only one choice per request is supported", {
      param: "n",
    });
  }
  const system: string[] = [];
  const messages: HubMessage[] = [];
  request.messages.forEach((message, index) => {
    if (message.role === "system" || message.role === "developer") {
      const text = textOf(message.content);
      // Leading instructions are the system prompt; later ones stay in place as the hub's system turns.
      if (messages.length === 0) system.push(text);
      else messages.push({ role: "system", content: [{ type: "text", text }] });
      return;
    }
    pushMerged(messages, {
      role: message.role === "assistant" ? "assistant" : "user",
      content: blocksOf(message, index),
    });
  });
  const formatNote = jsonFormatNote(request.response_format);
  if (formatNote) system.push(formatNote);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens;
  const hub: HubRequest = {
    model: request.model,
    messages,
    max_tokens: maxTokens,
    stream: request.stream === true,
  };
  if (system.length > 0) hub.system = system.join("\n\n");
  if (request.temperature != null) hub.temperature = request.temperature;
  if (request.top_p != null) hub.top_p = request.top_p;
  if (request.stop != null) {
    hub.stop_sequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  }
  const tools = toolsToHub(request);
  if (tools.length > 0) hub.tools = tools;
  const choice = toolChoiceToHub(request.tool_choice ?? undefined, request.parallel_tool_calls ?? undefined);
  if (choice && tools.length > 0) hub.tool_choice = choice;
  Object.assign(hub, reasoningToHub(request.reasoning_effort ?? undefined, maxTokens));
  return hub;
}

function blocksOf(
  message: Exclude<OpenaiChatMessage, { role: "system" | "developer" }>,
  index: number,
): Block[] {
  switch (message.role) {
    case "user":
      if (typeof message.content === "string") return textBlocks(message.content);
      return message.content.flatMap((part, partIndex) =>
        userPartToHub(part, `messages.${index}.content.${partIndex}`)
      );
    case "tool":
      return [{ type: "tool_result", tool_use_id: message.tool_call_id, content: textOf(message.content) }];
    case "assistant": {
      const blocks: Block[] = [];
      const reasoning = message.reasoning_content ?? message.reasoning;
      if (reasoning) {
        blocks.push({ type: "thinking", thinking: reasoning, signature: OPENAI_CHAT_THINKING_SIGNATURE });
      }
      const content = message.content;
      if (typeof content === "string") blocks.push(...textBlocks(content));
      else if (content) {
        for (const part of content) {
          blocks.push(...textBlocks(part.type === "text" ? part.text : part.refusal));
        }
      }
      for (const call of message.tool_calls ?? []) {
        blocks.push({
          type: "tool_use",
          id: call.id,
          name: call.function.name,
          input: parseArguments(call.function.arguments),
        });
      }
      return blocks;
    }
  }
}

function userPartToHub(part: OpenaiChatUserPart, path: string): Block[] {
  switch (part.type) {
    case "text":
      return textBlocks(part.text);
    case "image_url":
      return [imageFromUrl(part.image_url.url)];
    case "file": {
      const data = part.file.file_data;
      if (!data) {
        throw new GatewayError("invalid_request_error", `${path}: file_id is not supported, send file_data`, {
          param: path,
        });
      }
      return [documentFromData(data, part.file.filename ?? undefined)];
    }
    case "input_audio":
      throw new GatewayError("invalid_request_error", `${path}: audio input is not supported`, {
        param: path,
      });
  }
}

// ---- Shared with the Responses client format. ----

export function textBlocks(text: string): Block[] {
  // Anthropic-format upstreams reject empty text blocks.
  return text.length > 0 ? [{ type: "text", text }] : [];
}

export function textOf(content: string | { text: string }[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("\n");
}

const dataUrl = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** `data:<mime>;base64,…` → a base64 image block; anything else is a URL the upstream fetches. */
export function imageFromUrl(url: string): Block {
  const match = dataUrl.exec(url);
  if (match) return { type: "image", source: { type: "base64", media_type: match[1], data: match[2] } };
  return { type: "image", source: { type: "url", url } };
}

/** A file part's data (a data URL or bare base64) as a document block; bare base64 is taken as PDF. */
export function documentFromData(data: string, filename?: string): Block {
  const match = dataUrl.exec(data);
  const block: Block = {
    type: "document",
    source: { type: "base64", media_type: match?.[1] ?? "application/pdf", data: match?.[2] ?? data },
  };
  if (filename) block.title = filename;
  return block;
}

/**
 * Tool arguments as the hub's `input`; text that is not JSON is kept rather than failing the turn, but JSON
 * nested past the depth bound is a 400 like a deep body (it is client JSON, only wrapped in a string).
 */
export function parseArguments(text: string | null | undefined): unknown {
  if (!text || text.trim() === "") return {};
  try {
    return parseJsonWithinDepth(text);
  } catch (error) {
    if (error instanceof JsonTooDeepError) throw tooDeep(error.limit, "Tool-call arguments");
    return { _raw_arguments: text };
  }
}

/** Appends a message, merging it into the previous one of the same role (the hub alternates turns). */
export function pushMerged(messages: HubMessage[], message: HubMessage): void {
  const blocks = typeof message.content === "string" ? textBlocks(message.content) : message.content;
  // An empty turn (an assistant message with `content: ""`) would be rejected upstream.
  if (blocks.length === 0) return;
  const last = messages.at(-1);
  if (last && last.role === message.role && message.role !== "system" && Array.isArray(last.content)) {
    // Tool results must lead a user turn: Anthropic upstreams reject text before them.
    const results = blocks.filter((block) => block.type === "tool_result");
    const others = blocks.filter((block) => block.type !== "tool_result");
    const firstOther = last.content.findIndex((block) => block.type !== "tool_result");
    if (results.length > 0 && firstOther !== -1) last.content.splice(firstOther, 0, ...results);
    else last.content.push(...results);
    last.content.push(...others);
    return;
  }
  messages.push({ role: message.role, content: blocks });
}

const budgetByEffort: Record<Effort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 65536,
};

/**
 * `reasoning_effort` / `reasoning.effort` → hub thinking: `none` turns thinking off; any other value turns it
 * on with a budget below `max_tokens` and records the effort, which effort-based upstreams read directly.
 */
export function reasoningToHub(
  effort: ReasoningEffort | undefined,
  maxTokens: number,
): { thinking?: HubThinkingConfig; output_config?: { effort: Effort } } {
  if (effort === undefined) return {};
  if (effort === "none") return { thinking: { type: "disabled" } };
  const budget = Math.min(budgetByEffort[effort], maxTokens - 1);
  const thinking: HubThinkingConfig = budget >= 1024
    ? { type: "enabled", budget_tokens: budget }
    : { type: "adaptive" };
  return { thinking, output_config: { effort } };
}

/** JSON output modes have no hub field; an instruction keeps the intent on every upstream. */
export function jsonFormatNote(
  format: { type: string; json_schema?: { schema?: unknown }; schema?: unknown } | null | undefined,
): string | undefined {
  if (!format || format.type === "text") return undefined;
  const schema = format.json_schema?.schema ?? format.schema;
  if (format.type === "json_schema" && schema !== undefined) {
    return `Respond only with a JSON value that matches this JSON Schema, without any other text:\n${
      JSON.stringify(schema)
    }`;
  }
  return "Respond only with a valid JSON object, without any other text.";
}

export function functionTool(
  name: string,
  description: string | null | undefined,
  parameters: unknown,
): HubTool {
  const tool: HubTool = {
    name,
    input_schema: (parameters as Record<string, unknown> | null | undefined) ??
      { type: "object", properties: {} },
  };
  if (description) tool.description = description;
  return tool;
}

function toolsToHub(request: OpenaiChatRequest): HubTool[] {
  const allowed = request.tool_choice && typeof request.tool_choice === "object" &&
      request.tool_choice.type === "allowed_tools"
    ? new Set(request.tool_choice.allowed_tools.tools.map((tool) => tool.function?.name))
    : undefined;
  const tools: HubTool[] = [];
  (request.tools ?? []).forEach((tool, index) => {
    if (tool.type !== "function") {
      throw new GatewayError(
        "invalid_request_error",
        `tools.${index}.type: only function tools are supported`,
        {
          param: `tools.${index}.type`,
        },
      );
    }
    if (allowed && !allowed.has(tool.function.name)) return;
    tools.push(functionTool(tool.function.name, tool.function.description, tool.function.parameters));
  });
  return tools;
}

/** `tool_choice` + `parallel_tool_calls` → the hub's tool_choice (Chat and Responses share the strings). */
export function toolChoiceToHub(
  choice: OpenaiChatToolChoice | { type: "function"; name: string } | undefined,
  parallel: boolean | undefined,
): HubToolChoice | undefined {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === "auto") {
    return parallel === false ? { type: "auto", ...serial } : undefined;
  }
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...serial };
  if (choice.type === "function") {
    const name = "function" in choice && choice.function && typeof choice.function === "object"
      ? (choice.function as { name: string }).name
      : (choice as { name: string }).name;
    return { type: "tool", name, ...serial };
  }
  if (choice.type === "allowed_tools" && "allowed_tools" in choice) {
    return { type: choice.allowed_tools.mode === "required" ? "any" : "auto", ...serial };
  }
  return parallel === false ? { type: "auto", ...serial } : undefined;
}
