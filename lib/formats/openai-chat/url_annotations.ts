/**
 * The url_citation citations of an emulated web search answer (lib/web/cited_text.ts) as the `annotations`
 * OpenAI puts on a Chat message: indices count into the whole `content` (every text block joined), in UTF-16
 * code units as JavaScript strings index.
 */
import type { Citation } from "../../hub/schema.ts";

export interface ChatUrlAnnotation {
  type: "url_citation";
  url_citation: { url: string; title: string; start_index: number; end_index: number };
}

/** `offset`: where the cited block's text starts in the message content. */
export function chatAnnotation(citation: Citation, offset: number): ChatUrlAnnotation | undefined {
  if (citation.type !== "url_citation") return undefined;
  const { url, title, start_index, end_index } = citation as Record<string, unknown>;
  return {
    type: "url_citation",
    url_citation: {
      url: String(url),
      title: String(title ?? url),
      start_index: offset + Number(start_index),
      end_index: offset + Number(end_index),
    },
  };
}
