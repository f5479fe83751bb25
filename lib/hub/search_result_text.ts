/**
 * A `search_result` block as plain text with its title and source, for models that do not know the block:
 * lib/web/web_history.ts rewrites them before any upstream, and the converters fall back on this too.
 */
import type { HubContentBlock } from "./schema.ts";

export function searchResultText(block: Extract<HubContentBlock, { type: "search_result" }>): string {
  const text = block.content.map((part) => part.text).join("\n");
  return `Search result "${block.title}" (source: ${block.source}):\n${text}`;
}
