/**
 * Anthropic `system` + `messages` → Chat Completions messages: tool results become `tool` messages right after
 * the assistant turn that called them, thinking becomes `reasoning_content`, images become `image_url` parts.
 */
import { toolReferenceText } from "../../hub/tool_search.ts";
import { searchResultText } from "../../hub/search_result_text.ts";
import type { ResolvedModel } from "../../catalog/types.ts";
import type { HubContentBlock, HubMessage, HubRequest } from "../../hub/schema.ts";
import { systemTextFromHub } from "../../hub/system_text.ts";
import { toolErrorText } from "../openai/tool_error_text.ts";

export type OpenaiChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } }
  | { type: "file"; file: { file_data: string; filename: string } };

export interface OpenaiChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface OpenaiChatAssistantMessage {
  role: "assistant";
  content: string;
  tool_calls?: OpenaiChatToolCall[];
  reasoning_content?: string;
  reasoning_details?: { type: "reasoning.text"; text: string }[];
}

export type OpenaiChatUpstreamMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | OpenaiChatContentPart[] }
  | OpenaiChatAssistantMessage
  | { role: "tool"; tool_call_id: string; content: string };

type ToolResultBlock = Extract<HubContentBlock, { type: "tool_result" }>;
type ResultPart = Exclude<ToolResultBlock["content"], string | undefined>[number];

const INTERRUPTED = "(no result: the tool call was interrupted)";

/** The whole message list, system prompt first. */
export function openaiChatMessagesFromHub(
  request: Pick<HubRequest, "system" | "messages">,
  model: ResolvedModel,
): OpenaiChatUpstreamMessage[] {
  const out: OpenaiChatUpstreamMessage[] = [];
  const system = systemTextFromHub(request.system);
  if (system) out.push({ role: "system", content: system });
  // Ids of the previous assistant turn's tool calls: chat upstreams 400 unless each is answered by a `tool`
  // message before anything else, so the next user turn's results go first and gaps get a stand-in answer.
  let pending: string[] = [];
  // System entries that arrive between a tool call and its results wait until the results are out.
  const deferred: OpenaiChatUpstreamMessage[] = [];
  for (const message of request.messages) {
    if (message.role === "system") {
      const text = contentText(message.content);
      if (!text) continue;
      if (pending.length > 0) deferred.push({ role: "system", content: text });
      else out.push({ role: "system", content: text });
      continue;
    }
    if (message.role === "user") {
      appendUser(out, message, pending, deferred);
      pending = [];
      continue;
    }
    if (pending.length > 0) appendAnswers(out, pending, new Map(), deferred);
    pending = appendAssistant(out, message, model.capabilities.interleavedField);
  }
  out.push(...deferred);
  return out;
}

function contentText(content: HubMessage["content"]): string {
  if (typeof content === "string") return content;
  let text = "";
  for (const block of content) {
    if (block.type === "text" && block.text) text += (text ? "\n\n" : "") + block.text;
  }
  return text;
}

function appendUser(
  out: OpenaiChatUpstreamMessage[],
  message: HubMessage,
  pending: readonly string[],
  deferred: OpenaiChatUpstreamMessage[],
): void {
  if (typeof message.content === "string") {
    appendAnswers(out, pending, new Map(), deferred);
    if (message.content) out.push({ role: "user", content: message.content });
    return;
  }
  const results = new Map<string, ToolResultBlock>();
  const parts: OpenaiChatContentPart[] = [];
  const resultImages: OpenaiChatContentPart[] = [];
  for (const block of message.content) {
    if (block.type !== "tool_result") {
      const part = userPart(block);
      if (part) parts.push(part);
    } else if (pending.includes(block.tool_use_id) && !results.has(block.tool_use_id)) {
      results.set(block.tool_use_id, block);
    } else {
      // A result whose call is not in the previous turn would be rejected as a `tool` message; keep it as text.
      parts.push({
        type: "text",
        text: `[Result of tool call ${block.tool_use_id}]\n${toolResultText(block)}`,
      });
    }
  }
  for (const result of results.values()) collectImages(result, resultImages);
  appendAnswers(out, pending, results, deferred);
  // Tool messages are text-only on chat upstreams, so their images follow in a user message of their own.
  const content = resultImages.length > 0 ? [...resultImages, ...parts] : parts;
  if (content.length === 0) return;
  out.push({
    role: "user",
    content: content.length === 1 && content[0].type === "text" ? content[0].text : content,
  });
}

/** One `tool` message per pending call, in call order, then any system entries that were waiting. */
function appendAnswers(
  out: OpenaiChatUpstreamMessage[],
  pending: readonly string[],
  results: ReadonlyMap<string, ToolResultBlock>,
  deferred: OpenaiChatUpstreamMessage[],
): void {
  for (const id of pending) {
    const result = results.get(id);
    out.push({ role: "tool", tool_call_id: id, content: result ? toolResultText(result) : INTERRUPTED });
  }
  if (deferred.length > 0) out.push(...deferred.splice(0));
}

function toolResultText(block: ToolResultBlock): string {
  let text = "";
  let images = 0;
  if (typeof block.content === "string") text = block.content;
  else {
    for (const part of block.content ?? []) {
      if (part.type === "text") text += (text ? "\n" : "") + part.text;
      else if (part.type === "image") images++;
      else if (part.type === "tool_reference") text += (text ? "\n" : "") + toolReferenceText(part);
      else text += (text && "\n") + (part.type === "document" ? documentText(part) : searchResultText(part));
    }
  }
  if (images > 0) text += `${text ? "\n" : ""}(${images} image${images > 1 ? "s" : ""} in the next message)`;
  if (block.is_error) return toolErrorText(text);
  return text || "(no output)";
}

function collectImages(block: ToolResultBlock, into: OpenaiChatContentPart[]): void {
  if (typeof block.content === "string" || !block.content) return;
  for (const part of block.content) {
    if (part.type === "image") {
      const converted = userPart(part);
      if (converted) into.push(converted);
    }
  }
}

function userPart(block: HubContentBlock | ResultPart): OpenaiChatContentPart | undefined {
  switch (block.type) {
    case "text":
      return block.text ? { type: "text", text: block.text } : undefined;
    case "image": {
      const source = block.source;
      if (source.type === "base64") {
        return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
      }
      if (source.type === "url") return { type: "image_url", image_url: { url: source.url } };
      return { type: "text", text: `[image ${source.file_id} omitted: file references are not supported]` };
    }
    case "document": {
      const source = block.source as Record<string, unknown>;
      if (source.type === "base64" && typeof source.data === "string") {
        const mediaType = typeof source.media_type === "string" ? source.media_type : "application/pdf";
        return {
          type: "file",
          file: {
            file_data: `data:${mediaType};base64,${source.data}`,
            filename: block.title ?? "document.pdf",
          },
        };
      }
      return { type: "text", text: documentText(block) };
    }
    default:
      // thinking / tool_use inside a user turn are not valid Anthropic input; nothing to send.
      return undefined;
  }
}

function documentText(block: Extract<HubContentBlock, { type: "document" }>): string {
  const source = block.source as Record<string, unknown>;
  if (source.type === "text" && typeof source.data === "string") return source.data;
  if (source.type === "url" && typeof source.url === "string") return `[document: ${source.url}]`;
  return `[document${block.title ? ` "${block.title}"` : ""} omitted: unsupported source]`;
}

/** Returns the ids of the tool calls it emitted. */
function appendAssistant(
  out: OpenaiChatUpstreamMessage[],
  message: HubMessage,
  interleavedField: ResolvedModel["capabilities"]["interleavedField"],
): string[] {
  if (typeof message.content === "string") {
    if (message.content) out.push({ role: "assistant", content: message.content });
    return [];
  }
  let text = "";
  let reasoning = "";
  const calls: OpenaiChatToolCall[] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    else if (block.type === "thinking" && block.thinking) {
      reasoning = reasoning ? `${reasoning}\n\n${block.thinking}` : block.thinking;
    } else if (block.type === "tool_use") {
      calls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: toolArguments(block.input) },
      });
    }
    // redacted_thinking is encrypted for Anthropic only: nothing a chat upstream can read.
  }
  if (!text && !reasoning && calls.length === 0) return [];
  const assistant: OpenaiChatAssistantMessage = { role: "assistant", content: text };
  if (calls.length > 0) assistant.tool_calls = calls;
  if (reasoning && interleavedField === "reasoning_details") {
    assistant.reasoning_details = [{ type: "reasoning.text", text: reasoning }];
  } else if (reasoning) assistant.reasoning_content = reasoning;
  else if (calls.length > 0 && interleavedField === "reasoning_content") {
    // DeepSeek and Kimi 400 on a tool-call message without the field when thinking is on, even if empty.
    assistant.reasoning_content = "";
  }
  out.push(assistant);
  return calls.map((call) => call.id);
}

/** Input a model once streamed as broken JSON comes back from collect_message as `{_raw_arguments}`: resend it raw. */
function toolArguments(input: unknown): string {
  if (
    typeof input === "object" && input !== null && "_raw_arguments" in input &&
    typeof input._raw_arguments === "string" && Object.keys(input).length === 1
  ) return input._raw_arguments;
  return JSON.stringify(input ?? {});
}
