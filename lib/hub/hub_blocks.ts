/**
 * Building blocks for a hub request from a client format that is not the hub's own (OpenAI Chat and Responses):
 * text, images and documents from data URLs, tool arguments, and turns merged so they alternate.
 */
import type { HubContentBlock, HubMessage } from "./schema.ts";

export function textBlocks(text: string): HubContentBlock[] {
  // Anthropic-format upstreams reject empty text blocks.
  return text.length > 0 ? [{ type: "text", text }] : [];
}

export function textOf(content: string | { text: string }[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("\n");
}

const dataUrl = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** `data:<mime>;base64,…` → a base64 image block; anything else is a URL the upstream fetches. */
export function imageFromUrl(url: string): HubContentBlock {
  const match = dataUrl.exec(url);
  if (match) return { type: "image", source: { type: "base64", media_type: match[1], data: match[2] } };
  return { type: "image", source: { type: "url", url } };
}

/** A file part's data (a data URL or bare base64) as a document block; bare base64 is taken as PDF. */
export function documentFromData(data: string, filename?: string): HubContentBlock {
  const match = dataUrl.exec(data);
  const block: HubContentBlock = {
    type: "document",
    source: { type: "base64", media_type: match?.[1] ?? "application/pdf", data: match?.[2] ?? data },
  };
  if (filename) block.title = filename;
  return block;
}

/** Tool arguments as the hub's `input`; text that is not JSON is kept rather than failing the turn. */
export function parseArguments(text: string | null | undefined): unknown {
  if (!text || text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
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
