/**
 * Claude Code's tool search, for upstreams that have no deferred tools. Claude Code sends MCP tools with
 * `defer_loading: true` (hidden from the model until loaded), a `DeferredToolPlaceholder`, and, once its
 * ToolSearch tool has run, `tool_reference` blocks inside the tool_result naming the tools it loaded.
 * api.anthropic.com expands those references into tool definitions; here the same happens by hand: a deferred
 * tool that a `tool_reference` (or an earlier `tool_use`) names is declared like any other tool, the rest stay
 * hidden, and each reference becomes text the model can read.
 */
import type { HubContentBlock, HubMessage, HubRequest, HubTool } from "./schema.ts";

type ToolResult = Extract<HubContentBlock, { type: "tool_result" }>;
type ResultPart = Exclude<ToolResult["content"], string | undefined>[number];
type ToolReference = Extract<ResultPart, { type: "tool_reference" }>;

/** What the model reads where tool search returned a reference. */
export function toolReferenceText(reference: Pick<ToolReference, "tool_name">): string {
  return `Tool ${reference.tool_name} is loaded and can now be called.`;
}

/**
 * The request as an upstream without deferral must see it: deferred tools the conversation has loaded are
 * declared (without `defer_loading`), the others dropped, and `tool_reference` blocks are text. Returns the
 * request itself when it uses neither.
 */
export function withToolSearchResolved(request: HubRequest): HubRequest {
  const deferred = request.tools?.some((tool) => tool.defer_loading === true) ?? false;
  const loaded = new Set<string>();
  let references = false;
  for (const message of request.messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_use") loaded.add(block.name);
      if (block.type !== "tool_result" || typeof block.content !== "object") continue;
      for (const part of block.content) {
        if (part.type !== "tool_reference") continue;
        references = true;
        loaded.add(part.tool_name);
      }
    }
  }
  if (!deferred && !references) return request;
  return {
    ...request,
    ...(deferred ? { tools: declaredTools(request.tools ?? [], loaded) } : {}),
    ...(references ? { messages: request.messages.map(withReferencesAsText) } : {}),
  };
}

function declaredTools(tools: readonly HubTool[], loaded: ReadonlySet<string>): HubTool[] {
  const out: HubTool[] = [];
  for (const tool of tools) {
    if (tool.defer_loading !== true) out.push(tool);
    else if (loaded.has(tool.name)) {
      const { defer_loading: _, ...declared } = tool;
      out.push(declared);
    }
  }
  return out;
}

function withReferencesAsText(message: HubMessage): HubMessage {
  if (typeof message.content === "string") return message;
  if (!message.content.some((block) => block.type === "tool_result" && hasReference(block))) return message;
  return {
    ...message,
    content: message.content.map((block) =>
      block.type === "tool_result" && hasReference(block)
        ? { ...block, content: (block.content as ResultPart[]).map(referenceAsText) }
        : block
    ),
  };
}

function hasReference(block: ToolResult): boolean {
  return typeof block.content === "object" && block.content.some((part) => part.type === "tool_reference");
}

function referenceAsText(part: ResultPart): ResultPart {
  return part.type === "tool_reference" ? { type: "text", text: toolReferenceText(part) } : part;
}
