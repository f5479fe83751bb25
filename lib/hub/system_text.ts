/** Claude Code's attribution block and the hub's system prompt as one text, for every non-Anthropic upstream. */
import type { HubRequest } from "./schema.ts";

/**
 * Claude Code's first system block (client version + conversation fingerprint). api.anthropic.com strips it;
 * any other upstream would read it as prompt text that changes every conversation (a prefix-cache killer).
 */
const ATTRIBUTION_PREFIX = "x-anthropic-billing-header:";

export function isAttributionText(text: string): boolean {
  return text.startsWith(ATTRIBUTION_PREFIX);
}

/** System text without Claude Code's leading attribution block, blank parts dropped, joined by blank lines. */
export function systemTextFromHub(system: HubRequest["system"]): string | undefined {
  if (system === undefined) return undefined;
  const texts = typeof system === "string" ? [system] : system.map((block) => block.text);
  if (texts[0] !== undefined && isAttributionText(texts[0])) {
    // Claude Code sends it as a block of its own; in a plain string only its first line is the header.
    const newline = texts[0].indexOf("\n");
    texts[0] = typeof system === "string" && newline >= 0 ? texts[0].slice(newline + 1) : "";
  }
  const text = texts.filter((part) => part.trim().length > 0).join("\n\n");
  return text.length > 0 ? text : undefined;
}
