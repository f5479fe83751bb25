/**
 * A client's Chat Completions request → the hub request (Anthropic Messages shape). The helpers for what
 * Chat and Responses share (images, reasoning effort, JSON output, turn merging) live here too.
 */
import { GatewayError } from "../../errors/gateway_error.ts";
import type { HubContentBlock, HubMessage, HubRequest, HubTool } from "../../hub/schema.ts";
import type { OpenaiChatMessage, OpenaiChatRequest, OpenaiChatUserPart } from "./request_schema.ts";
import {
  documentFromData,
  imageFromUrl,
  parseArguments,
  pushMerged,
  textBlocks,
  textOf,
} from "../../hub/hub_blocks.ts";
import { OPENAI_CHAT_SIGNATURE } from "../openai/chat_signature.ts";
import { openaiHubRequest } from "../openai/openai_hub_request.ts";
import { jsonFormatNote } from "../openai/json_format_note.ts";
import { reasoningToHub } from "../openai/reasoning_to_hub.ts";
import { functionTool, toolChoiceToHub } from "../openai/tools_to_hub.ts";
import { chatWebSearchTools } from "../../web/chat_web_search.ts";

export interface ToHubOptions {
  /** `max_tokens` when the client sets none: the model's output limit, as OpenAI does. */
  defaultMaxTokens: number;
}

type Block = HubContentBlock;

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
  const hub = openaiHubRequest(request, { messages, maxTokens, system });
  if (request.stop != null) {
    hub.stop_sequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  }
  // web_search_options is emulated like Anthropic's web_search tool (lib/web/).
  const tools = [...toolsToHub(request), ...chatWebSearchTools(request.web_search_options)];
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
        blocks.push({ type: "thinking", thinking: reasoning, signature: OPENAI_CHAT_SIGNATURE });
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
