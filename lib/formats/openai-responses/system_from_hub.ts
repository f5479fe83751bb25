/** The hub's system prompt as one text, shared by the upstreams that take a single system string. */
import type { HubRequest } from "../anthropic/schema.ts";

const BILLING_PREFIX = "x-anthropic-billing-header:";

/**
 * System text without Claude Code's leading attribution block: api.anthropic.com strips it, and any other
 * upstream would read it as prompt text that changes every conversation (a prefix-cache killer).
 */
export function systemTextFromHub(system: HubRequest["system"]): string | undefined {
  if (system === undefined) return undefined;
  const texts = typeof system === "string" ? [system] : system.map((block) => block.text);
  if (texts[0]?.startsWith(BILLING_PREFIX)) {
    // Claude Code sends it as a block of its own; in a plain string only its first line is the header.
    const newline = texts[0].indexOf("\n");
    texts[0] = typeof system === "string" && newline >= 0 ? texts[0].slice(newline + 1) : "";
  }
  const text = texts.filter((part) => part.trim().length > 0).join("\n\n");
  return text.length > 0 ? text : undefined;
}
