/**
 * History for a model that runs the server tools itself (native_server_tools.ts): everything goes as sent,
 * except searches the gateway emulated on an earlier turn with another model. Their `encrypted_content` is the
 * gateway's envelope, which Anthropic would refuse, so each such call and its result become one text block
 * in the assistant turn saying what was searched and found (what the emulated model read), and text citing
 * those results keeps its sources as text.
 */
import type { HubContentBlock, HubMessage, HubRequest } from "../hub/schema.ts";
import { decodeHit } from "./web_envelope.ts";
import { resultText } from "./web_history.ts";
import { citedText, mintedCitation } from "./citation_text.ts";

type Block = HubContentBlock;
type SearchResult = Extract<Block, { type: "web_search_tool_result" | "web_fetch_tool_result" }>;

/** A text block citing results the gateway minted: its citations become text (Anthropic would refuse them). */
function mintedCitations(block: Block): block is Extract<Block, { type: "text" }> {
  return block.type === "text" && Array.isArray(block.citations) && block.citations.some(mintedCitation);
}

function minted(block: Block): block is SearchResult {
  return block.type === "web_search_tool_result" && Array.isArray(block.content) &&
    block.content.some((hit) => decodeHit((hit as { encrypted_content?: unknown })?.encrypted_content));
}

export function nativeWebHistory(request: HubRequest): HubRequest {
  const hasMinted = request.messages.some((message) =>
    message.role === "assistant" && Array.isArray(message.content) &&
    message.content.some((block) => minted(block) || mintedCitations(block))
  );
  if (!hasMinted) return request;
  const messages = request.messages.map((message): HubMessage => {
    if (message.role !== "assistant" || typeof message.content === "string") return message;
    const blocks = message.content;
    const rewritten = new Set(blocks.filter(minted).map((block) => block.tool_use_id));
    if (rewritten.size === 0 && !blocks.some(mintedCitations)) return message;
    const content: Block[] = [];
    for (const block of blocks) {
      if (block.type === "server_tool_use" && rewritten.has(block.id)) continue;
      if (minted(block)) {
        const call = blocks.find((candidate) =>
          candidate.type === "server_tool_use" && candidate.id === block.tool_use_id
        ) as Extract<Block, { type: "server_tool_use" }> | undefined;
        content.push({
          type: "text",
          text: `[An earlier search the gateway ran] ${resultText(block, call?.input)}`,
        });
      } else content.push(mintedCitations(block) ? citedText(block) : block);
    }
    return { ...message, content };
  });
  return { ...request, messages };
}
