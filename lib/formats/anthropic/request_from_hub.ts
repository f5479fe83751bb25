/**
 * Hub request → the JSON body for an Anthropic-format upstream (`POST {base}/messages`). The hub already is
 * Anthropic's shape, so this only removes or translates what the upstream's profile says it rejects.
 */
import { anthropicMessagesFromHub } from "./messages_from_hub.ts";
import type { HubRequest, HubTool, HubToolChoice } from "../../hub/schema.ts";
import { anthropicThinkingFromHub } from "./thinking_from_hub.ts";
import type { AnthropicUpstreamProfile } from "./upstream_profiles.ts";
import { isAttributionText } from "../../hub/system_text.ts";

// The core Messages API every Anthropic-compatible upstream takes; the rest is gated by the profile.
const CORE_FIELDS = new Set([
  "model",
  "messages",
  "system",
  "max_tokens",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tools",
  "tool_choice",
  "thinking",
]);

export interface AnthropicRequestOptions {
  profile: AnthropicUpstreamProfile;
  upstreamModel: string;
  /** Whose thinking signatures this upstream takes back (anthropicSignatureOrigin). */
  origin: string;
}

/** Always a streaming request (the relay collects non-stream responses from the stream). */
export function anthropicRequestFromHub(
  request: HubRequest,
  { profile, upstreamModel, origin }: AnthropicRequestOptions,
): Record<string, unknown> {
  const gated: Record<string, boolean> = {
    context_management: profile.contextManagement,
    output_config: profile.outputConfig,
    metadata: profile.metadata,
  };
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (CORE_FIELDS.has(key) || (gated[key] ?? profile.otherFields)) body[key] = value;
  }
  body.model = upstreamModel;
  body.stream = true;
  const { messages, finalTurnLostThinking } = anthropicMessagesFromHub(request.messages, profile, origin);
  body.messages = messages;
  setOrDelete(body, "system", systemFromHub(request.system, profile));
  setOrDelete(
    body,
    "thinking",
    finalTurnLostThinking ? undefined : anthropicThinkingFromHub(request, profile),
  );
  const tools = toolsFromHub(request.tools, profile);
  setOrDelete(body, "tools", tools);
  setOrDelete(body, "tool_choice", toolChoiceFromHub(request.tool_choice, tools));
  return body;
}

function setOrDelete(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete body[key];
  else body[key] = value;
}

function systemFromHub(
  system: HubRequest["system"],
  profile: AnthropicUpstreamProfile,
): HubRequest["system"] {
  if (system === undefined) return undefined;
  if (typeof system === "string") {
    const text = isAttributionText(system) ? system.slice(lineEnd(system)) : system;
    return text.trim() === "" ? undefined : text;
  }
  const blocks = system
    .filter((block) => block.text.trim() !== "" && !isAttributionText(block.text))
    .map((block) => {
      if (profile.cacheControl || block.cache_control === undefined) return block;
      const { cache_control: _, ...rest } = block;
      return rest;
    });
  return blocks.length > 0 ? blocks : undefined;
}

function lineEnd(text: string): number {
  const newline = text.indexOf("\n");
  return newline === -1 ? text.length : newline + 1;
}

/** Strict upstreams: no deferred tools, no server tools, and only the core tool fields. */
function toolsFromHub(
  tools: HubTool[] | undefined,
  profile: AnthropicUpstreamProfile,
): HubTool[] | undefined {
  if (!tools || profile.toolBetaFields) return tools;
  const out: HubTool[] = [];
  for (const tool of tools) {
    // A deferred tool is only a placeholder until Claude Code's tool search loads it; server tools
    // (`web_search_20250305`…) only run on api.anthropic.com.
    if (tool.defer_loading === true || (tool.type !== undefined && tool.type !== "custom")) continue;
    out.push({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      input_schema: tool.input_schema ?? { type: "object", properties: {} },
    });
  }
  return out.length > 0 ? out : undefined;
}

function toolChoiceFromHub(
  choice: HubToolChoice | undefined,
  tools: HubTool[] | undefined,
): HubToolChoice | undefined {
  if (!choice || choice.type === "none") return choice;
  if (!tools) return undefined;
  if (choice.type === "tool" && !tools.some((tool) => tool.name === choice.name)) return undefined;
  return choice;
}
