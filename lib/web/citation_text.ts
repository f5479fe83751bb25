/**
 * A text block's `citations` for a model that does not know them: the cited text, then its sources in
 * brackets (`… UI [source: Deno 2.6 <https://deno.com/blog/v2.6>]`). A gateway-minted `encrypted_index` is
 * read back for the source it names; any other citation gives what it carries in the clear.
 */
import type { HubContentBlock } from "../hub/schema.ts";
import { decodeCitation } from "./web_envelope.ts";

type TextBlock = Extract<HubContentBlock, { type: "text" }>;

export function citedText(block: TextBlock): TextBlock {
  const { citations, ...rest } = block;
  const list = Array.isArray(citations) ? citations as Record<string, unknown>[] : [];
  const sources = [...new Set(list.map(sourceLabel).filter((label): label is string => !!label))];
  if (sources.length === 0) return rest as TextBlock;
  const label = sources.length > 1 ? "sources" : "source";
  return { ...rest, text: `${rest.text} [${label}: ${sources.join("; ")}]` } as TextBlock;
}

/** Whether a citation carries an `encrypted_index` the gateway minted (Anthropic itself would refuse it). */
export function mintedCitation(citation: unknown): boolean {
  return decodeCitation((citation as { encrypted_index?: unknown } | null)?.encrypted_index) !== undefined;
}

function sourceLabel(citation: Record<string, unknown>): string | undefined {
  if (!citation || typeof citation !== "object") return undefined;
  const minted = decodeCitation(citation.encrypted_index);
  const text = (value: unknown) => typeof value === "string" && value !== "" ? value : undefined;
  const url = minted?.url ?? text(citation.url) ?? text(citation.source);
  const title = minted?.title ?? text(citation.title) ?? text(citation.document_title);
  if (url) return title && title !== url ? `${title} <${url}>` : url;
  return title ? `"${title}"` : undefined;
}
