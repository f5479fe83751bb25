/**
 * Hub messages → Responses input items: messages, `function_call` / `function_call_output` pairs joined by
 * `call_id` (the Anthropic tool_use id), and reasoning items restored from gateway signatures.
 */
import { quoteClientText } from "../../catalog/model_name_limits.ts";
import { toolReferenceText } from "../../hub/tool_search.ts";
import { searchResultText } from "../../hub/search_result_text.ts";
import { invalidRequest } from "../../errors/gateway_error.ts";
import type { HubContentBlock, HubMediaBlock, HubMessage } from "../../hub/schema.ts";
import { decodeReasoningSignature, type ResponsesReasoningItem } from "./reasoning_signature.ts";
import { toolErrorText } from "../openai/tool_error_text.ts";

export type OpenaiResponsesUpstreamContentPart =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string; detail: "auto" }
  | { type: "input_file"; filename: string; file_data: string }
  | { type: "input_file"; file_url: string };

export type ResponsesInputItem =
  | { type: "message"; role: "user" | "developer"; content: OpenaiResponsesUpstreamContentPart[] }
  | { type: "message"; role: "assistant"; content: string }
  | { type: "function_call"; call_id: string; name: string; arguments: string }
  | { type: "function_call_output"; call_id: string; output: string | OpenaiResponsesUpstreamContentPart[] }
  | ResponsesReasoningItem;

type Block = HubContentBlock;

/** Image and document blocks as input parts; whatever the Responses API cannot take is a 400. */
function mediaPart(block: HubMediaBlock, param: string): OpenaiResponsesUpstreamContentPart {
  const source = block.source as Record<string, unknown>;
  if (block.type === "image") {
    if (source.type === "base64") {
      return {
        type: "input_image",
        image_url: `data:${source.media_type};base64,${source.data}`,
        detail: "auto",
      };
    }
    if (source.type === "url") return { type: "input_image", image_url: String(source.url), detail: "auto" };
    throw invalidRequest(
      `Image source "${source.type}" is not supported by the openai-responses upstream`,
      param,
    );
  }
  if (source.type === "text" && typeof source.data === "string") {
    return { type: "input_text", text: source.data };
  }
  if (
    source.type === "base64" && source.media_type === "application/pdf" && typeof source.data === "string"
  ) {
    const filename = block.title ? `${block.title}.pdf` : "document.pdf";
    return { type: "input_file", filename, file_data: `data:application/pdf;base64,${source.data}` };
  }
  if (source.type === "url" && typeof source.url === "string") {
    return { type: "input_file", file_url: source.url };
  }
  const kind = source.type === "base64" ? `${source.type} ${source.media_type}` : String(source.type);
  throw invalidRequest(
    `Document source ${quoteClientText(String(kind))} is not supported by the openai-responses upstream`,
    param,
  );
}

function toolOutput(
  block: Extract<Block, { type: "tool_result" }>,
  param: string,
): string | OpenaiResponsesUpstreamContentPart[] {
  const content = block.content ?? "";
  if (typeof content === "string") return block.is_error ? toolErrorText(content) : content;
  if (content.every((part) => part.type === "text")) {
    const text = content.map((part) => part.text).join("\n");
    return block.is_error ? toolErrorText(text) : text;
  }
  const parts = content.map((part, index): OpenaiResponsesUpstreamContentPart =>
    part.type === "text"
      ? { type: "input_text", text: part.text }
      : part.type === "tool_reference"
      ? { type: "input_text", text: toolReferenceText(part) }
      : part.type === "search_result"
      ? { type: "input_text", text: searchResultText(part) }
      : mediaPart(part, `${param}.content.${index}`)
  );
  // The Responses API has no is_error flag either: the failure is said in front of the output, as on Chat.
  if (!block.is_error) return parts;
  const first = parts[0];
  return first.type === "input_text"
    ? [{ type: "input_text", text: toolErrorText(first.text) }, ...parts.slice(1)]
    : [{ type: "input_text", text: toolErrorText("") }, ...parts];
}

/** Content of a tool_result as plain text, for one whose function_call is not in the input. */
function orphanResultText(block: Extract<Block, { type: "tool_result" }>): string {
  const content = block.content ?? "";
  const text = typeof content === "string"
    ? content
    : content.flatMap((part) =>
      part.type === "text" ? [part.text] : part.type === "tool_reference" ? [toolReferenceText(part)] : []
    ).join("\n");
  const label = block.is_error ? "Error from an earlier tool call" : "Result of an earlier tool call";
  return `[${label} ${block.tool_use_id}]\n${text}`;
}

function userItems(
  blocks: Block[],
  role: "user" | "developer",
  callIds: ReadonlySet<string>,
  param: string,
): ResponsesInputItem[] {
  const items: ResponsesInputItem[] = [];
  let parts: OpenaiResponsesUpstreamContentPart[] = [];
  const flush = () => {
    if (parts.length > 0) items.push({ type: "message", role, content: parts });
    parts = [];
  };
  blocks.forEach((block, index) => {
    const at = `${param}.${index}`;
    switch (block.type) {
      case "text":
        if (block.text.length > 0) parts.push({ type: "input_text", text: block.text });
        break;
      case "image":
      case "document":
        parts.push(mediaPart(block, at));
        break;
      case "tool_result":
        // The API rejects an output whose call is not in the input (history trimmed by the client): keep it as text.
        if (!callIds.has(block.tool_use_id)) {
          parts.push({ type: "input_text", text: orphanResultText(block) });
          break;
        }
        // Outputs keep their place: text typed after a tool result stays after it.
        flush();
        items.push({
          type: "function_call_output",
          call_id: block.tool_use_id,
          output: toolOutput(block, at),
        });
        break;
      case "thinking":
      case "redacted_thinking":
        break;
      default:
        throw invalidRequest(`A ${block.type} block cannot appear in a ${role} message`, at);
    }
  });
  flush();
  return items;
}

function assistantItems(blocks: Block[], model: string, param: string): ResponsesInputItem[] {
  const items: ResponsesInputItem[] = [];
  let text = "";
  const flush = () => {
    if (text.length > 0) items.push({ type: "message", role: "assistant", content: text });
    text = "";
  };
  blocks.forEach((block, index) => {
    switch (block.type) {
      case "text":
        text += block.text;
        break;
      case "thinking": {
        // Only reasoning this upstream minted comes back; any other thinking is dropped, never forwarded.
        const reasoning = decodeReasoningSignature(block.signature, model);
        if (reasoning) {
          flush();
          items.push(reasoning);
        }
        break;
      }
      case "redacted_thinking":
        break;
      case "tool_use":
        flush();
        items.push({
          type: "function_call",
          call_id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input ?? {}),
        });
        break;
      default:
        throw invalidRequest(
          `A ${block.type} block cannot appear in an assistant message`,
          `${param}.${index}`,
        );
    }
  });
  flush();
  return items;
}

/** @param model the upstream model: reasoning minted by another model is not replayed. */
export function openaiResponsesInputFromHub(messages: HubMessage[], model: string): ResponsesInputItem[] {
  const callIds = new Set<string>();
  return messages.flatMap((message, index) => {
    const param = `messages.${index}.content`;
    const blocks: Block[] = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : message.content;
    if (message.role === "assistant") {
      for (const block of blocks) if (block.type === "tool_use") callIds.add(block.id);
      return assistantItems(blocks, model, param);
    }
    // Claude Code's `role:"system"` entries (the environment block) keep their place as developer messages.
    return userItems(blocks, message.role === "system" ? "developer" : "user", callIds, param);
  });
}
