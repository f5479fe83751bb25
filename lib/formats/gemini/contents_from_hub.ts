/**
 * Hub messages → Gemini `contents` (+ the system entries Claude Code puts inside messages[]). Gemini has no tool
 * call ids: a tool_result finds its function's name through the tool_use it answers, and thought signatures
 * are restored from the thinking blocks the gateway minted.
 */
import { quoteClientText } from "../../catalog/model_name_limits.ts";
import { toolReferenceText } from "../../hub/tool_search.ts";
import { searchResultText } from "../../hub/search_result_text.ts";
import { invalidRequest } from "../../errors/gateway_error.ts";
import type { HubContentBlock, HubMediaBlock, HubMessage } from "../../hub/schema.ts";
import { decodeThoughtSignature, SKIP_THOUGHT_SIGNATURE } from "./thought_signature.ts";

export interface GeminiPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: { name: string; response: { output: string } | { error: string } };
  thoughtSignature?: string;
}

export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiPart[];
}

type Block = HubContentBlock;

function mediaPart(block: HubMediaBlock, param: string): GeminiPart {
  const source = block.source as Record<string, unknown>;
  if (source.type === "base64" && typeof source.data === "string" && typeof source.media_type === "string") {
    // Gemini reads images and PDFs (and plain text) inline.
    return { inlineData: { mimeType: source.media_type, data: source.data } };
  }
  if (block.type === "document" && source.type === "text" && typeof source.data === "string") {
    return { text: source.data };
  }
  throw invalidRequest(
    `${block.type === "image" ? "Image" : "Document"} source ${
      quoteClientText(String(source.type))
    } is not supported by the gemini upstream: send it as base64`,
    param,
  );
}

function textOf(content: Extract<Block, { type: "tool_result" }>["content"]): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  return content.flatMap((part) =>
    part.type === "text"
      ? [part.text]
      : part.type === "tool_reference"
      ? [toolReferenceText(part)]
      : part.type === "search_result"
      ? [searchResultText(part)]
      : []
  ).join("\n");
}

/**
 * A tool_result whose tool_use is not earlier in the conversation (history trimmed by the client) cannot be a
 * functionResponse, which Gemini only takes right after its functionCall; its content is kept as text.
 */
function orphanResultPart(block: Extract<Block, { type: "tool_result" }>): GeminiPart {
  const label = block.is_error ? "Error from an earlier tool call" : "Result of an earlier tool call";
  return { text: `[${label} ${block.tool_use_id}]\n${textOf(block.content)}` };
}

function userParts(blocks: Block[], names: Map<string, string>, param: string): GeminiPart[] {
  return blocks.flatMap((block, index): GeminiPart[] => {
    const at = `${param}.${index}`;
    switch (block.type) {
      case "text":
        return block.text.length > 0 ? [{ text: block.text }] : [];
      case "image":
      case "document":
        return [mediaPart(block, at)];
      case "tool_result": {
        const name = names.get(block.tool_use_id);
        const text = textOf(block.content);
        const response = block.is_error ? { error: text } : { output: text };
        // Images a tool returned follow its response as parts of the same user turn.
        const media = typeof block.content === "string" || block.content === undefined
          ? []
          : block.content.flatMap((part, partIndex) =>
            part.type === "text" || part.type === "tool_reference" || part.type === "search_result"
              ? []
              : [mediaPart(part, `${at}.content.${partIndex}`)]
          );
        return [name ? { functionResponse: { name, response } } : orphanResultPart(block), ...media];
      }
      case "thinking":
      case "redacted_thinking":
        return [];
      default:
        throw invalidRequest(`A ${block.type} block cannot appear in a user message`, at);
    }
  });
}

function modelParts(blocks: Block[], model: string, param: string): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let callSignature: string | undefined;
  let textSignature: string | undefined;
  blocks.forEach((block, index) => {
    switch (block.type) {
      case "thinking": {
        // Only signatures this model minted come back; other thinking is dropped, never forwarded.
        const restored = decodeThoughtSignature(block.signature, model);
        if (restored?.target === "functionCall") callSignature = restored.thoughtSignature;
        else if (restored) textSignature = restored.thoughtSignature;
        break;
      }
      case "redacted_thinking":
        break;
      case "text":
        if (block.text.length > 0) parts.push({ text: block.text });
        break;
      case "tool_use": {
        const args = typeof block.input === "object" && block.input !== null && !Array.isArray(block.input)
          ? block.input as Record<string, unknown>
          : {};
        parts.push({
          functionCall: { name: block.name, args },
          ...(callSignature ? { thoughtSignature: callSignature } : {}),
        });
        callSignature = undefined;
        break;
      }
      default:
        throw invalidRequest(
          `A ${block.type} block cannot appear in an assistant message`,
          `${param}.${index}`,
        );
    }
  });
  if (textSignature) {
    // Gemini puts a text answer's signature on its last part; an empty text part carries it when there is none.
    const last = parts.findLast((part) => part.text !== undefined && part.thoughtSignature === undefined);
    if (last) last.thoughtSignature = textSignature;
    else parts.push({ text: "", thoughtSignature: textSignature });
  }
  return parts;
}

export interface GeminiConversation {
  contents: GeminiContent[];
  /** Texts of `role:"system"` entries found inside messages[], in order. */
  systemTexts: string[];
}

/**
 * Consecutive turns of one role are merged: Gemini wants a model turn's function calls answered by the very
 * next user turn.
 */
export function geminiContentsFromHub(messages: HubMessage[], model: string): GeminiConversation {
  /** tool_use id → function name, for the calls seen so far. */
  const names = new Map<string, string>();
  const contents: GeminiContent[] = [];
  const systemTexts: string[] = [];
  messages.forEach((message, index) => {
    const param = `messages.${index}.content`;
    const blocks: Block[] = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : message.content;
    if (message.role === "system") {
      // Folded into systemInstruction: a user text turn here could split a functionCall from its response.
      for (const [blockIndex, block] of blocks.entries()) {
        if (block.type !== "text") {
          throw invalidRequest(
            `A ${block.type} block cannot appear in a system message`,
            `${param}.${blockIndex}`,
          );
        }
        if (block.text.trim().length > 0) systemTexts.push(block.text);
      }
      return;
    }
    const role = message.role === "assistant" ? "model" : "user";
    const parts = role === "model" ? modelParts(blocks, model, param) : userParts(blocks, names, param);
    for (const block of blocks) if (block.type === "tool_use") names.set(block.id, block.name);
    if (parts.length === 0) return;
    const previous = contents.at(-1);
    if (previous?.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  });
  for (const content of contents) if (content.role === "model") signFirstCall(content.parts);
  return { contents, systemTexts };
}

/**
 * Gemini 3 answers 400 "Function call is missing a thought_signature" when the first functionCall part of a
 * model step (one model content: steps are split by the functionResponse turns) comes back unsigned. When no
 * signature could be restored for it (another model made the call: a fallback mid tool loop, a switch between
 * Gemini models, a client that dropped the thinking block), it gets Google's documented placeholder instead.
 * Only the first call: that is the one part Gemini signs and checks (parallel calls after it are never
 * signed), so a step from Gemini itself and a step from elsewhere look alike. Every step, not only those of
 * the current turn (the only ones checked): where Google's turn begins is unclear once a user content mixes
 * functionResponse and text parts, and the placeholder is harmless on older steps.
 */
function signFirstCall(parts: GeminiPart[]): void {
  const first = parts.find((part) => part.functionCall !== undefined);
  if (first && first.thoughtSignature === undefined) first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
}
