/**
 * Input-token count for an Anthropic-shaped request: system, messages (text, tool calls and results, thinking,
 * images, documents) and tools. Text goes through the o200k_base tokenizer; images use Anthropic's size rule;
 * small fixed overheads stand in for role and tool framing. An estimate for non-OpenAI vocabularies.
 */
import type { HubContentBlock, HubMessage, HubTool } from "../hub/schema.ts";
import { imageTokensForSource } from "./image_tokens.ts";
import { countTexts } from "./count_texts.ts";
import { loadTokenizer } from "./tokenizer.ts";

export interface CountableRequest {
  system?: string | { text: string }[];
  messages: HubMessage[];
  tools?: HubTool[];
}

/** Texts to tokenize plus tokens already known (images, framing). */
export interface TokenParts {
  texts: string[];
  fixed: number;
}

// Framing overheads, chosen to match the shape of Anthropic's counts (a one-word message ≈ 8 tokens).
const requestOverhead = 3;
const messageOverhead = 4;
const blockOverhead = 3;
const toolOverhead = 8;
/** Per PDF page (text plus page image), Anthropic's documented 1,500–3,000 range, low end. */
const pdfPageTokens = 1_500;

export function collectTokenParts(request: CountableRequest): TokenParts {
  const parts: TokenParts = { texts: [], fixed: requestOverhead };
  if (typeof request.system === "string") parts.texts.push(request.system);
  else if (request.system) { for (const block of request.system) parts.texts.push(block.text); }
  for (const message of request.messages) {
    parts.fixed += messageOverhead;
    if (typeof message.content === "string") parts.texts.push(message.content);
    else for (const block of message.content) addBlock(block, parts);
  }
  for (const tool of request.tools ?? []) {
    parts.fixed += toolOverhead;
    parts.texts.push(tool.name);
    if (tool.description) parts.texts.push(tool.description);
    if (tool.input_schema) parts.texts.push(JSON.stringify(tool.input_schema));
  }
  return parts;
}

function addBlock(block: HubContentBlock, parts: TokenParts): void {
  switch (block.type) {
    case "text":
      parts.texts.push(block.text);
      return;
    case "image":
      parts.fixed += imageTokensForSource(block.source);
      return;
    case "document":
      addDocument(block.source as Record<string, unknown>, parts);
      return;
    case "tool_use":
      parts.fixed += blockOverhead;
      parts.texts.push(block.name, JSON.stringify(block.input ?? {}));
      return;
    case "tool_result":
      parts.fixed += blockOverhead;
      if (typeof block.content === "string") parts.texts.push(block.content);
      else for (const inner of block.content ?? []) addBlock(inner as HubContentBlock, parts);
      return;
    case "thinking":
      parts.texts.push(block.thinking);
      return;
    case "redacted_thinking":
      // Opaque ciphertext: no vocabulary applies; roughly four characters a token.
      parts.fixed += Math.ceil(block.data.length / 4);
      return;
    default:
      // Server-tool blocks and search results (lib/web/ rewrites them to a call, a result and text): their JSON.
      parts.fixed += blockOverhead;
      parts.texts.push(JSON.stringify(block));
  }
}

function addDocument(source: Record<string, unknown>, parts: TokenParts): void {
  if (source.type === "text" && typeof source.data === "string") parts.texts.push(source.data);
  else if (source.type === "content" && Array.isArray(source.content)) {
    for (const inner of source.content) addBlock(inner as HubContentBlock, parts);
  } else if (source.type === "base64" && typeof source.data === "string") {
    parts.fixed += pdfPages(source.data) * pdfPageTokens;
  } else parts.fixed += pdfPageTokens;
}

/** Page objects in a base64 PDF (`/Type /Page`, not `/Pages`); at least one. */
function pdfPages(base64: string): number {
  try {
    const text = atob(base64.length % 4 === 0 ? base64 : base64.slice(0, base64.length & ~3));
    return Math.max(1, text.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 1);
  } catch {
    return 1;
  }
}

/** Tokens for the request. */
export async function countRequestTokens(request: CountableRequest): Promise<number> {
  const parts = collectTokenParts(request);
  return parts.fixed + await countTexts(parts.texts, await loadTokenizer());
}

const encoder = new TextEncoder();

/**
 * A ceiling that needs no tokenizer: every o200k token covers at least one UTF-8 byte. Lets a caller skip
 * tokenizing when even the ceiling fits.
 */
export function tokenUpperBound(request: CountableRequest): number {
  const parts = collectTokenParts(request);
  let total = parts.fixed;
  for (const text of parts.texts) total += utf8Length(text);
  return total;
}

function utf8Length(text: string): number {
  // ASCII-only strings (the common case) need no encoding pass.
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}
