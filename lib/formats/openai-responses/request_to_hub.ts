/**
 * A client's Responses API request → the hub request. Input items become Anthropic turns: function calls and
 * reasoning join the assistant turn, function outputs the user turn. The gateway keeps no state, so
 * `previous_response_id` and item references are refused with a 400 that says why.
 */
import type { z } from "zod";
import { GatewayError } from "../../errors/gateway_error.ts";
import { zodToGatewayError } from "../../errors/zod_error.ts";
import type { HubContentBlock, HubMessage, HubRequest, HubTool } from "../../hub/schema.ts";
import { responsesWebSearchTools } from "../../web/openai_web_search.ts";
import {
  customToolCallItemSchema,
  customToolCallOutputItemSchema,
  customToolSchema,
  functionCallItemSchema,
  functionCallOutputItemSchema,
  functionToolSchema,
  messageItemSchema,
  type OpenaiResponsesRequest,
  reasoningItemSchema,
  type ResponsesContentPart,
} from "./request_schema.ts";
import {
  documentFromData,
  imageFromUrl,
  parseArguments,
  pushMerged,
  textBlocks,
} from "../../hub/hub_blocks.ts";
import { functionTool, toolChoiceToHub } from "../openai/tools_to_hub.ts";
import { openaiHubRequest } from "../openai/openai_hub_request.ts";
import { jsonFormatNote } from "../openai/json_format_note.ts";
import { OPENAI_CHAT_SIGNATURE } from "../openai/chat_signature.ts";
import { reasoningToHub } from "../openai/reasoning_to_hub.ts";

export interface ResponsesToHubOptions {
  /** `max_tokens` when the client sets no `max_output_tokens`: the model's output limit. */
  defaultMaxTokens: number;
}

export interface ResponsesHubRequest {
  hub: HubRequest;
  /** Names of freeform (`custom`) tools: their calls go back as `custom_tool_call` items. */
  customTools: Set<string>;
}

/** Freeform tools take one string; the hub (JSON tools only) carries it as `{ input }`. */
const CUSTOM_TOOL_SCHEMA = {
  type: "object",
  properties: {
    input: { type: "string", description: "The raw input for this tool, as plain text (not JSON)" },
  },
  required: ["input"],
};

export const STATELESS_MESSAGE =
  "previous_response_id is not supported: this gateway is stateless and stores no responses. Send the whole conversation in input (with store: false)";

export function openaiResponsesRequestToHub(
  request: OpenaiResponsesRequest,
  options: ResponsesToHubOptions,
): ResponsesHubRequest {
  if (request.previous_response_id) {
    throw new GatewayError("invalid_request_error", STATELESS_MESSAGE, { param: "previous_response_id" });
  }
  const system: string[] = request.instructions ? [request.instructions] : [];
  const messages: HubMessage[] = [];
  const input = typeof request.input === "string"
    ? [{ type: "message", role: "user", content: request.input }]
    : request.input;
  input.forEach((item, index) => itemToHub(item, `input.${index}`, system, messages));
  const formatNote = jsonFormatNote(request.text?.format);
  if (formatNote) system.push(formatNote);
  const maxTokens = request.max_output_tokens ?? options.defaultMaxTokens;
  const hub = openaiHubRequest(request, { messages, maxTokens, system });
  const customTools = new Set<string>();
  const tools = toolsToHub(request, customTools);
  if (tools.length > 0) {
    hub.tools = tools;
    const choice = toolChoiceToHub(
      responsesChoice(request.tool_choice),
      request.parallel_tool_calls ?? undefined,
    );
    if (choice) hub.tool_choice = choice;
  }
  Object.assign(hub, reasoningToHub(request.reasoning?.effort ?? undefined, maxTokens));
  return { hub, customTools };
}

function itemToHub(item: { type?: string }, path: string, system: string[], messages: HubMessage[]): void {
  switch (item.type ?? "message") {
    case "message": {
      const message = parseAt(messageItemSchema, item, path);
      const blocks = typeof message.content === "string"
        ? textBlocks(message.content)
        : message.content.flatMap((part, index) => partToHub(part, `${path}.content.${index}`));
      if (message.role === "system" || message.role === "developer") {
        const text = blocks.map((block) => (block.type === "text" ? block.text : "")).join("\n");
        // Leading instructions are the system prompt; later ones stay in place as the hub's system turns.
        if (messages.length === 0) system.push(text);
        else messages.push({ role: "system", content: [{ type: "text", text }] });
        return;
      }
      pushMerged(messages, { role: message.role, content: blocks });
      return;
    }
    case "function_call": {
      const call = parseAt(functionCallItemSchema, item, path);
      const input = parseArguments(call.arguments);
      pushMerged(messages, {
        role: "assistant",
        content: [{ type: "tool_use", id: call.call_id, name: call.name, input }],
      });
      return;
    }
    case "custom_tool_call": {
      const call = parseAt(customToolCallItemSchema, item, path);
      const input = { input: call.input };
      pushMerged(messages, {
        role: "assistant",
        content: [{ type: "tool_use", id: call.call_id, name: call.name, input }],
      });
      return;
    }
    case "function_call_output":
    case "custom_tool_call_output": {
      const schema = item.type === "function_call_output"
        ? functionCallOutputItemSchema
        : customToolCallOutputItemSchema;
      const output = parseAt(schema, item, path);
      pushMerged(messages, {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: output.call_id,
          content: outputToHub(output.output, path),
        }],
      });
      return;
    }
    case "reasoning": {
      const reasoning = parseAt(reasoningItemSchema, item, path);
      const text = [...(reasoning.summary ?? []), ...(reasoning.content ?? [])].map((part) => part.text).join(
        "\n\n",
      );
      // The gateway's own reasoning items carry the hub signature in encrypted_content, so it round-trips.
      const signature = reasoning.encrypted_content || OPENAI_CHAT_SIGNATURE;
      pushMerged(messages, { role: "assistant", content: [{ type: "thinking", thinking: text, signature }] });
      return;
    }
    case "web_search_call":
      // A search the gateway ran on an earlier turn: the answer's text carries its links; nothing to replay.
      return;
    case "item_reference":
      throw new GatewayError(
        "invalid_request_error",
        `${path}: item references are not supported: this gateway is stateless, send the items themselves`,
        { param: path },
      );
    default:
      throw new GatewayError(
        "invalid_request_error",
        `${path}.type: unsupported input item type "${item.type}"`,
        {
          param: `${path}.type`,
        },
      );
  }
}

function partToHub(part: ResponsesContentPart, path: string): HubContentBlock[] {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return textBlocks(part.text);
    case "refusal":
      return textBlocks(part.refusal);
    case "input_image":
      if (!part.image_url) throw unsupported(`${path}.file_id`, "file_id is not supported, send image_url");
      return [imageFromUrl(part.image_url)];
    case "input_file":
      if (part.file_data) return [documentFromData(part.file_data, part.filename ?? undefined)];
      if (part.file_url) return [{ type: "document", source: { type: "url", url: part.file_url } }];
      throw unsupported(`${path}.file_id`, "file_id is not supported, send file_data or file_url");
  }
}

type ToolResultContent = Extract<HubContentBlock, { type: "tool_result" }>["content"];
type ToolResultBlock = Extract<HubContentBlock, { type: "text" | "image" | "document" }>;

function outputToHub(output: string | ResponsesContentPart[], path: string): ToolResultContent {
  if (typeof output === "string") return output;
  const blocks = output.flatMap((part, index) => partToHub(part, `${path}.output.${index}`));
  // tool_result content takes text, image and document blocks only.
  return blocks.filter((block): block is ToolResultBlock =>
    block.type === "text" || block.type === "image" || block.type === "document"
  );
}

function toolsToHub(request: OpenaiResponsesRequest, customTools: Set<string>): HubTool[] {
  const choice = request.tool_choice;
  const allowed = choice && typeof choice === "object" && choice.type === "allowed_tools" && "tools" in choice
    ? new Set((choice.tools as { name?: string }[]).map((tool) => tool.name))
    : undefined;
  const tools: HubTool[] = [];
  (request.tools ?? []).forEach((tool, index) => {
    const path = `tools.${index}`;
    if (tool.type === "function") {
      const fn = parseAt(functionToolSchema, tool, path);
      if (!allowed || allowed.has(fn.name)) tools.push(functionTool(fn.name, fn.description, fn.parameters));
    } else if (tool.type === "custom") {
      const custom = parseAt(customToolSchema, tool, path);
      if (allowed && !allowed.has(custom.name)) return;
      customTools.add(custom.name);
      tools.push(functionTool(custom.name, custom.description, CUSTOM_TOOL_SCHEMA));
    }
    // Hosted web_search is emulated (lib/web/); other hosted tools have no equivalent here.
    tools.push(...responsesWebSearchTools(tool));
  });
  return tools;
}

function responsesChoice(
  choice: OpenaiResponsesRequest["tool_choice"],
): Parameters<typeof toolChoiceToHub>[0] {
  if (choice == null) return undefined;
  if (typeof choice === "string") return choice;
  if ((choice.type === "function" || choice.type === "custom") && typeof choice.name === "string") {
    return { type: "function", name: choice.name };
  }
  if (choice.type === "allowed_tools") return choice.mode === "required" ? "required" : "auto";
  return undefined;
}

function parseAt<T extends z.ZodType>(schema: T, value: unknown, path: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const error = zodToGatewayError(result.error);
  const param = error.param ? `${path}.${error.param}` : path;
  const detail = error.message.replace(/^[^:]*: /, "");
  throw new GatewayError("invalid_request_error", `${param}: ${detail}`, { param });
}

function unsupported(path: string, message: string): GatewayError {
  return new GatewayError("invalid_request_error", `${path}: ${message}`, { param: path });
}
