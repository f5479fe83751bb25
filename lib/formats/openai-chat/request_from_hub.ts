/** Hub (Anthropic Messages) request → Chat Completions request body, always streaming with usage. */
import type { ToolChoiceForm } from "../../catalog/quirks.ts";
import type { ResolvedModel } from "../../catalog/types.ts";
import type { Effort, HubRequest } from "../../hub/schema.ts";
import { openaiChatMessagesFromHub, type OpenaiChatUpstreamMessage } from "./messages_from_hub.ts";
import {
  openaiChatToolChoiceFromHub,
  openaiChatToolsFromHub,
  type OpenaiChatUpstreamTool,
  type OpenaiChatUpstreamToolChoice,
  toolChoiceForm,
} from "./tools_from_hub.ts";

/** What the gateway sends; Anthropic-only fields (metadata, top_k, cache_control, context_management…) never do. */
export interface OpenaiChatRequestBody {
  model: string;
  messages: OpenaiChatUpstreamMessage[];
  stream: true;
  stream_options: { include_usage: true };
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: OpenaiChatUpstreamTool[];
  tool_choice?: OpenaiChatUpstreamToolChoice;
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

  const tools = openaiChatToolsFromHub(request.tools);
  const form = tools.length > 0 ? toolChoiceForm(request.tool_choice) : undefined;
  const thinking = planThinking(request, capabilities, form);
  if (thinking.field) body.thinking = thinking.field;
  const effort = thinking.on ? thinking.effort ?? requestedEffort(request) : undefined;
  if (effort && capabilities.efforts && capabilities.efforts.length > 0) {
    const accepted = nearestEffort(effort, capabilities.efforts);
    if (accepted) body.reasoning_effort = accepted;
  }

  if (tools.length > 0) {
    body.tools = tools;
    const accepted = thinking.on ? capabilities.toolChoiceWithThinking : allToolChoiceForms;
    const choice = openaiChatToolChoiceFromHub(request.tool_choice, accepted);
    if (choice !== undefined) body.tool_choice = choice;
    if (choice === "required" && request.tool_choice?.type === "tool") {
      // A named choice sent as `required` (K3 while thinking): offering only that tool keeps the guarantee.
      const name = request.tool_choice.name;
      const only = tools.filter((tool) => tool.function.name === name);
      if (only.length > 0) body.tools = only;
    }
    if (request.tool_choice?.type !== "none" && request.tool_choice?.disable_parallel_tool_use === true) {
      body.parallel_tool_calls = false;
    }
  }
  return body;
}

const allToolChoiceForms: readonly ToolChoiceForm[] = ["auto", "required", "named"];

interface ThinkingPlan {
  /** Whether the upstream will think on this request. */
  on: boolean;
  field?: OpenaiChatRequestBody["thinking"];
  /** Overrides the requested effort (the least thinking for a client that asked for none). */
  effort?: Effort;
}

/**
 * Whether this request thinks upstream, and the `thinking` field that says so. No field means the host's
 * default, which is on for every chat reasoning model the catalog serves.
 *
 * A forced tool choice the model refuses while thinking (`toolChoiceWithThinking`) turns thinking off for the
 * request when the model allows it, rather than sending the choice as `auto`. The forced choice is the contract
 * (the client parses the tool call it asked for; with `auto` the model may answer in prose), thinking is a
 * quality preference, and Anthropic itself rejects thinking together with a forced choice — so Claude Code,
 * which forces a tool only for rare structured side-queries, never asks for both: it sends no `thinking` field,
 * which on Anthropic means no thinking. Consequence: that one turn has no reasoning (and no `reasoning_effort`),
 * which is what the client would have got from Anthropic. Residual risk: OpenCode Go was reported to ignore
 * `disabled` for Kimi (anomalyco/opencode#25001); the request would then 400 as before this rule existed.
 * A model that is always thinking gets the downgrade instead (`auto`, or `required` plus only the named tool when
 * `required` is accepted), and is never sent a `thinking` field at all: `disabled` 400s there
 * (kimi-k2.7-code), `enabled` says nothing new, and OpenCode Go's Kimi rejects `thinking` next to
 * `reasoning_effort`.
 */
function planThinking(
  request: HubRequest,
  capabilities: ResolvedModel["capabilities"],
  form: ToolChoiceForm | "none" | undefined,
): ThinkingPlan {
  if (!capabilities.reasoning) return { on: false };
  if (capabilities.thinkingAlwaysOn) {
    // Asked for no thinking where it cannot be turned off: the least the model offers.
    const least = request.thinking?.type === "disabled" ? leastEffort(capabilities.efforts) : undefined;
    return least ? { on: true, effort: least } : { on: true };
  }
  const requested = request.thinking?.type !== "disabled";
  if (requested && form && !keepsForcedChoice(form, capabilities.toolChoiceWithThinking)) {
    return { on: false, field: { type: "disabled" } };
  }
  // `adaptive` (what Claude Code sends for unknown model ids) has no chat equivalent beyond "on".
  if (!request.thinking) return { on: true };
  return { on: requested, field: { type: requested ? "enabled" : "disabled" } };
}

/** Whether `form` can be sent with its guarantee intact: as is, or a named tool as `required` plus that tool only. */
function keepsForcedChoice(form: ToolChoiceForm | "none", accepted: readonly ToolChoiceForm[]): boolean {
  if (form === "auto" || form === "none") return true;
  return accepted.includes(form) || (form === "named" && accepted.includes("required"));
}

function leastEffort(efforts: readonly string[] | null): Effort | undefined {
  const ranked = (efforts ?? []).map((value) => effortScale.indexOf(value)).filter((rank) => rank > 0);
  return ranked.length > 0 ? effortScale[Math.min(...ranked)] as Effort : undefined;
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
