/**
 * Rewrites what an upstream model cannot take from a client's history: a past emulated search or fetch
 * (`server_tool_use` + its `web_*_tool_result` in an assistant turn) becomes a function call and its result,
 * the way the model made it; `search_result` blocks (in a turn or a tool_result) become text with their
 * source; text `citations` become the cited text followed by its sources (citation_text.ts). Results minted by the gateway are rebuilt from their envelope; foreign ones
 * (a real Anthropic result) keep only titles and URLs. Never forwarded raw.
 */
import type { HubContentBlock, HubMessage, HubRequest } from "../hub/schema.ts";
import { fetchText, searchText } from "./run_web_tool.ts";
import { decodeHit } from "./web_envelope.ts";
import { searchResultText } from "../hub/search_result_text.ts";
import { citedText } from "./citation_text.ts";

type Block = HubContentBlock;

const URL_PATTERN = /https?:\/\/[^\s"'<>()\]\[{}`\\]+/g;

export function needsWebHistoryRewrite(request: HubRequest): boolean {
  return request.messages.some((message) =>
    typeof message.content !== "string" &&
    message.content.some((block) =>
      block.type === "server_tool_use" || block.type === "web_search_tool_result" ||
      block.type === "web_fetch_tool_result" || block.type === "search_result" ||
      (block.type === "text" && block.citations !== undefined) ||
      (block.type === "tool_result" && Array.isArray(block.content) &&
        block.content.some((inner) => inner.type === "search_result"))
    )
  );
}

export function rewriteWebHistory(request: HubRequest): HubRequest {
  if (!needsWebHistoryRewrite(request)) return request;
  const messages: HubMessage[] = [];
  for (const message of request.messages) {
    if (message.role === "user") {
      const carried = takeCarriedResults(messages);
      const content = typeof message.content === "string"
        ? [{ type: "text" as const, text: message.content }]
        : message.content.map(plainBlock);
      messages.push(
        carried.length > 0 ? { ...message, content: [...carried, ...content] } : { ...message, content },
      );
      continue;
    }
    if (typeof message.content === "string") {
      messages.push(message);
      continue;
    }
    if (message.role === "assistant") splitAssistant(message, messages);
    else messages.push({ ...message, content: message.content.map(plainBlock) });
  }
  for (const message of messages) delete (message as { carried?: boolean }).carried;
  return { ...request, messages };
}

/** Tool results a split assistant turn left pending: they open the next user turn. */
function takeCarriedResults(messages: HubMessage[]): Block[] {
  const last = messages.at(-1);
  if (!last || last.role !== "user" || !(last as { carried?: boolean }).carried) return [];
  messages.pop();
  return last.content as Block[];
}

function splitAssistant(message: HubMessage, out: HubMessage[]): void {
  const blocks = message.content as Block[];
  const calls = new Map<string, Extract<Block, { type: "server_tool_use" }>>();
  let current: Block[] = [];
  let results: Block[] = [];
  const flush = () => {
    if (current.length > 0) out.push({ ...message, content: current });
    if (results.length > 0) out.push({ role: "user", content: results, carried: true } as HubMessage);
    current = [];
    results = [];
  };
  for (const block of blocks) {
    if (block.type === "server_tool_use") {
      calls.set(block.id, block);
      continue;
    }
    if (block.type === "web_search_tool_result" || block.type === "web_fetch_tool_result") {
      const call = calls.get(block.tool_use_id);
      if (!call) continue;
      if (results.length > 0 && current.at(-1)?.type !== "tool_use") flush();
      current.push({ type: "tool_use", id: call.id, name: call.name, input: call.input ?? {} });
      results.push({ type: "tool_result", tool_use_id: call.id, content: resultText(block, call.input) });
      continue;
    }
    if (results.length > 0) flush();
    current.push(plainBlock(block));
  }
  // Results left at the end open the next user turn, or stay a user turn of their own.
  flush();
}

export function resultText(
  block: Extract<Block, { type: "web_search_tool_result" | "web_fetch_tool_result" }>,
  input: unknown,
): string {
  const content = block.content as Record<string, unknown> | Record<string, unknown>[] | null;
  if (!Array.isArray(content)) {
    const code = typeof content?.error_code === "string" ? content.error_code : "unavailable";
    if (content?.type === "web_fetch_result") return fetchResultText(content);
    return `${block.type === "web_search_tool_result" ? "web_search" : "web_fetch"} failed (${code})`;
  }
  const query = String((input as { query?: unknown } | null)?.query ?? "");
  const hits = content.map((item) => {
    const decoded = decodeHit(item.encrypted_content);
    return decoded ??
      { url: String(item.url ?? ""), title: String(item.title ?? item.url ?? ""), snippet: "" };
  });
  return searchText(query, hits);
}

function fetchResultText(result: Record<string, unknown>): string {
  const document = result.content as { source?: Record<string, unknown>; title?: string | null } | undefined;
  const source = document?.source;
  const text = source?.type === "text" && typeof source.data === "string"
    ? source.data
    : "[PDF content not replayed]";
  return fetchText(String(result.url ?? ""), document?.title ?? null, text);
}

/** A block as a model that knows no search_result or citations can take it. */
function plainBlock(block: Block): Block {
  if (block.type === "search_result") {
    return { type: "text", text: searchResultText(block) };
  }
  if (block.type === "text" && block.citations !== undefined) return citedText(block);
  // A tool that answers with search results (a client's own RAG tool): each one becomes text, in place.
  if (block.type === "tool_result" && Array.isArray(block.content)) {
    const content = block.content.map((inner) => inner.type === "search_result" ? plainBlock(inner) : inner);
    return { ...block, content } as Block;
  }
  return block;
}

/** Every http(s) URL the conversation mentions: web_fetch may open these and those from search results. */
export function conversationUrls(request: HubRequest): string[] {
  return JSON.stringify(request.messages).match(URL_PATTERN) ?? [];
}
