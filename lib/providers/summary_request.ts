/**
 * Claude Code compacts a long conversation by sending it once more with a final user message asking for a
 * summary, and keeps only what it finds between `<summary>` and `</summary>` (an `<analysis>` block before it
 * is dropped). Claude follows that request's own example; other models often wrap the tags in a code fence,
 * leave them out or call a tool instead, and the compaction then fails. For such models the gateway states
 * the exact shape in the system prompt and turns tool calls off for that one request.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import type { HubRequest } from "../hub/schema.ts";

/** What the model is told; the parser it must satisfy looks for a line starting with `<summary>`. */
export const SUMMARY_FORMAT_INSTRUCTION = [
  "The last user message is a request from the client application for a summary of this conversation. The " +
  "application extracts the summary mechanically, so the reply must have exactly this shape:",
  "<analysis>",
  "(your notes on the conversation)",
  "</analysis>",
  "<summary>",
  "(the summary, with every numbered section the request lists)",
  "</summary>",
  "Rules: plain text only; call no tools; put each tag on a line of its own, exactly as written above (no " +
  "code fences, quotes or markdown around the tags); write nothing after </summary>.",
].join("\n");

const asksForSummary = /\b(?:detailed )?summary of the (?:recent portion of the )?conversation\b/i;

function lastUserText(request: HubRequest): string {
  const last = request.messages.at(-1);
  if (!last || last.role !== "user") return "";
  if (typeof last.content === "string") return last.content;
  return last.content.map((block) => block.type === "text" ? block.text : "").join("\n");
}

/** Claude Code's compaction request: a last user turn asking for a conversation summary in `<summary>` tags. */
export function isSummaryRequest(request: HubRequest): boolean {
  const text = lastUserText(request);
  return text.includes("<summary>") && asksForSummary.test(text);
}

/** Real Claude models follow the request's own example; everything else gets the format spelled out. */
export function needsSummaryFormat(model: Pick<ResolvedModel, "upstreamModel">): boolean {
  return !/claude/i.test(model.upstreamModel);
}

/** The request with the format instruction appended to its system prompt and tool calls turned off. */
export function withSummaryFormat(request: HubRequest): HubRequest {
  const system = typeof request.system === "string"
    ? `${request.system}\n\n${SUMMARY_FORMAT_INSTRUCTION}`
    : [...(request.system ?? []), { type: "text" as const, text: SUMMARY_FORMAT_INSTRUCTION }];
  // The tools stay defined (earlier turns use them, and Anthropic-format upstreams need their definitions).
  const toolChoice = request.tools?.length ? { tool_choice: { type: "none" as const } } : {};
  return { ...request, system, ...toolChoice };
}
