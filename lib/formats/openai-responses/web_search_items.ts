/**
 * Web searches (emulated by lib/web/, or run by a model itself) as Responses `web_search_call` output items,
 * and url_citation citations on the answer's text as `output_text` annotations. A search streams as OpenAI's
 * do, once its query is known: `output_item.added` (in_progress, with the action), `web_search_call.in_progress`
 * and `.searching`, then `.completed` and `output_item.done` when its result arrives. The hits' URLs go in `action.sources`
 * only when the request's `include` asks for `web_search_call.action.sources`.
 */
import type { Citation, HubEvent, ResponseBlock } from "../../hub/schema.ts";

type Emit = (type: string, payload: Record<string, unknown>) => string;
/** response_from_hub.ts's item type, restated: that file imports this one. */
type OpenaiResponsesOutputItem = Record<string, unknown> & { type: string };
type ToolUse = Extract<ResponseBlock, { type: "server_tool_use" }>;
type ToolResult = Extract<ResponseBlock, { type: "web_search_tool_result" | "web_fetch_tool_result" }>;

export function webSearchCallId(): string {
  return `ws_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** The item for a call and (once it ran) its result; a call with no result yet is in progress. */
export function webSearchCallItem(
  id: string,
  call: { name: string; input: unknown },
  result: ToolResult | undefined,
  withSources: boolean,
): OpenaiResponsesOutputItem {
  const input = (call.input ?? {}) as { query?: unknown; url?: unknown };
  const content = result?.content as { type?: string } | { url?: unknown }[] | undefined;
  const ok = Array.isArray(content) || content?.type === "web_fetch_result";
  let action: Record<string, unknown>;
  if (call.name === "web_fetch") action = { type: "open_page", url: String(input.url ?? "") };
  else {
    const query = String(input.query ?? "");
    action = { type: "search", query, queries: [query] };
    if (withSources && Array.isArray(content)) {
      action.sources = content.flatMap((hit) =>
        typeof hit?.url === "string" ? [{ type: "url", url: hit.url }] : []
      );
    }
  }
  return {
    id,
    type: "web_search_call",
    status: result ? (ok ? "completed" : "failed") : "in_progress",
    action,
  };
}

/** A url_citation as the annotation OpenAI puts on output_text (other citation kinds have no equivalent). */
export function urlAnnotation(citation: Citation): Record<string, unknown> | undefined {
  if (citation.type !== "url_citation") return undefined;
  const { type, url, title, start_index, end_index } = citation as Record<string, unknown>;
  return { type, url, title, start_index, end_index };
}

/** The annotations of a collected text block. */
export function blockAnnotations(block: Extract<ResponseBlock, { type: "text" }>): Record<string, unknown>[] {
  return (block.citations ?? []).flatMap((citation) => {
    const annotation = urlAnnotation(citation);
    return annotation ? [annotation] : [];
  });
}

/** Non-stream: each server_tool_use with the result block that answers it (the result adds no item). */
export function webSearchItemFor(
  block: ToolUse,
  content: readonly ResponseBlock[],
  withSources: boolean,
): OpenaiResponsesOutputItem {
  const result = content.find((candidate): candidate is ToolResult =>
    (candidate.type === "web_search_tool_result" || candidate.type === "web_fetch_tool_result") &&
    candidate.tool_use_id === block.id
  );
  return webSearchCallItem(webSearchCallId(), block, result ?? undefined, withSources);
}

interface OpenCall {
  id: string;
  name: string;
  json: string;
  outputIndex: number;
}

/** The stream side: one per response stream, fed the hub events of server-tool blocks. */
export class WebSearchCallStream {
  #emit: Emit;
  #output: OpenaiResponsesOutputItem[];
  #withSources: boolean;
  #byIndex = new Map<number, OpenCall>();
  #byToolUseId = new Map<string, OpenCall>();

  constructor(emit: Emit, output: OpenaiResponsesOutputItem[], withSources: boolean) {
    this.#emit = emit;
    this.#output = output;
    this.#withSources = withSources;
  }

  /** Handles a block start if it is a server tool's; undefined for any other block. */
  start(event: Extract<HubEvent, { type: "content_block_start" }>): string | undefined {
    const block = event.content_block;
    if (block.type === "server_tool_use") {
      const call = { id: webSearchCallId(), name: block.name, json: "", outputIndex: this.#output.length };
      this.#byIndex.set(event.index, call);
      this.#byToolUseId.set(block.id, call);
      // The item is announced at the block's stop, when its query is known (Codex shows it then).
      this.#output.push({ id: call.id, type: "web_search_call", status: "in_progress" });
      return "";
    }
    if (block.type === "web_search_tool_result" || block.type === "web_fetch_tool_result") {
      const call = this.#byToolUseId.get(block.tool_use_id);
      if (!call) return "";
      this.#byToolUseId.delete(block.tool_use_id);
      return this.#done(call, block);
    }
    return undefined;
  }

  /** True when the delta belonged to a server tool call. */
  delta(event: Extract<HubEvent, { type: "content_block_delta" }>): boolean {
    const call = this.#byIndex.get(event.index);
    if (!call) return false;
    if (event.delta.type === "input_json_delta") call.json += event.delta.partial_json;
    return true;
  }

  /** The call's input is complete: the search starts. */
  stop(index: number): string | undefined {
    const call = this.#byIndex.get(index);
    if (!call) return undefined;
    this.#byIndex.delete(index);
    const input = { name: call.name, input: parseInput(call.json) };
    const item = webSearchCallItem(call.id, input, undefined, false);
    this.#output[call.outputIndex] = item;
    const base = { output_index: call.outputIndex, item_id: call.id };
    return this.#emit("response.output_item.added", { output_index: call.outputIndex, item }) +
      this.#emit("response.web_search_call.in_progress", base) +
      this.#emit("response.web_search_call.searching", base);
  }

  /** Calls still waiting for a result when the response ends (a client tool came first, or an error). */
  closeAll(): string {
    let out = "";
    // A call cut off before its input ended was never announced: added first, so done has an item to end.
    for (const [index] of this.#byIndex) out += this.stop(index);
    for (const call of this.#byToolUseId.values()) out += this.#done(call, undefined);
    this.#byToolUseId.clear();
    return out;
  }

  #done(call: OpenCall, result: ToolResult | undefined): string {
    const item = webSearchCallItem(
      call.id,
      { name: call.name, input: parseInput(call.json) },
      result,
      this.#withSources,
    );
    if (!result) item.status = "incomplete";
    this.#output[call.outputIndex] = item;
    const base = { output_index: call.outputIndex, item_id: call.id };
    return (item.status === "completed" ? this.#emit("response.web_search_call.completed", base) : "") +
      this.#emit("response.output_item.done", { output_index: call.outputIndex, item });
  }
}

function parseInput(json: string): unknown {
  try {
    return JSON.parse(json || "{}");
  } catch {
    return {};
  }
}
