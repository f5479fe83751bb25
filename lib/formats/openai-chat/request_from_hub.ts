/** Hub (Anthropic Messages) request → Chat Completions request body, always streaming with usage. */
import type { ResolvedModel } from "../../catalog/types.ts";
import type { Effort, HubRequest } from "../anthropic/schema.ts";
import { type OpenaiChatMessage, openaiChatMessagesFromHub } from "./messages_from_hub.ts";
import {
  type OpenaiChatTool,
  type OpenaiChatToolChoice,
  openaiChatToolChoiceFromHub,
  openaiChatToolsFromHub,
} from "./tools_from_hub.ts";

/** What the gateway sends; Anthropic-only fields (metadata, top_k, cache_control, context_management…) never do. */
export interface OpenaiChatRequestBody {
  model: string;
  messages: OpenaiChatMessage[];
  stream: true;
  stream_options: { include_usage: true };
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: OpenaiChatTool[];
  tool_choice?: OpenaiChatToolChoice;
  parallel_tool_calls?: boolean;
  /** DeepSeek, Kimi and GLM's switch; other hosts ignore it. */
  thinking?: { type: "enabled" | "disabled" };
  reasoning_effort?: string;
}

/**
 * @example
 * ```ts
 * const body = openaiChatRequestFromHub({ model: "kimi", max_tokens: 1024, messages: [{ role: "user", content: "hi" }] }, model);
 * // body.messages → [{ role: "user", content: "hi" }], body.stream → true
 * ```
 */
export function openaiChatRequestFromHub(request: HubRequest, model: ResolvedModel): OpenaiChatRequestBody {
  const capabilities = model.capabilities;
  const body: OpenaiChatRequestBody = {
    model: model.upstreamModel,
    messages: openaiChatMessagesFromHub(request, model),
    stream: true,
    stream_options: { include_usage: true },
    // Claude Code asks 32000 for unknown ids and 128000 for Opus names; above the model's limit chat upstreams 400.
    max_tokens: Math.min(request.max_tokens, model.limits.output),
  };
  if (request.temperature !== undefined && capabilities.temperature) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.stop_sequences && request.stop_sequences.length > 0) body.stop = request.stop_sequences;

  const thinkingOn = capabilities.reasoning && request.thinking?.type !== "disabled";
  if (capabilities.reasoning && request.thinking) {
    // `adaptive` (what Claude Code sends for unknown model ids) has no chat equivalent beyond "on".
    body.thinking = { type: request.thinking.type === "disabled" ? "disabled" : "enabled" };
  }
  const effort = thinkingOn ? requestedEffort(request) : undefined;
  if (effort && capabilities.efforts && capabilities.efforts.length > 0) {
    const accepted = nearestEffort(effort, capabilities.efforts);
    if (accepted) body.reasoning_effort = accepted;
  }

  const tools = openaiChatToolsFromHub(request.tools);
  if (tools.length > 0) {
    body.tools = tools;
    // Kimi rejects `required` and named choices while thinking; no catalog field says which hosts accept them,
    // so a thinking request never forces a tool (the safe side: `auto` works everywhere).
    const choice = openaiChatToolChoiceFromHub(request.tool_choice, !thinkingOn);
    if (choice !== undefined) body.tool_choice = choice;
    if (request.tool_choice?.type !== "none" && request.tool_choice?.disable_parallel_tool_use === true) {
      body.parallel_tool_calls = false;
    }
  }
  return body;
}

/** `output_config.effort` wins; otherwise a thinking budget is read as an effort level. */
function requestedEffort(request: HubRequest): Effort | undefined {
  if (request.output_config?.effort) return request.output_config.effort;
  if (request.thinking?.type !== "enabled") return undefined;
  const budget = request.thinking.budget_tokens;
  if (budget < 4_096) return "low";
  if (budget < 16_384) return "medium";
  if (budget < 32_768) return "high";
  return "max";
}

const effortScale = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

/**
 * The accepted effort closest to the requested one on the none…max scale; a tie goes to the higher value,
 * since asking for more than the upstream's nearest step means the user wanted more reasoning, not less.
 *
 * @example nearestEffort("medium", ["high", "max"]) === "high"
 */
export function nearestEffort(requested: string, accepted: readonly string[]): string | undefined {
  if (accepted.includes(requested)) return requested;
  const target = effortScale.indexOf(requested);
  if (target === -1) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const value of accepted) {
    const rank = effortScale.indexOf(value);
    if (rank === -1 || rank === 0) continue;
    const distance = Math.abs(rank - target);
    if (distance < bestDistance || (distance === bestDistance && rank > effortScale.indexOf(best!))) {
      best = value;
      bestDistance = distance;
    }
  }
  return best;
}
