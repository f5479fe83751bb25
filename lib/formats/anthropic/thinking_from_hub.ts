/**
 * The `thinking` field for an Anthropic-format upstream. Claude Code asks for `adaptive` thinking from any model
 * name it does not know; upstreams without it answer 400 "Input tag 'adaptive' found…", so it becomes a fixed
 * budget sized by the requested effort.
 */
import type { Effort, HubRequest } from "../../hub/schema.ts";
import type { AnthropicUpstreamProfile } from "./upstream_profiles.ts";

/** Anthropic's floor for `budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024;

// Effort → budget in tokens; `high` is Anthropic's default effort, so it is also ours when none is given.
const budgetByEffort: Record<Effort, number> = {
  minimal: 1024,
  low: 4096,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32768,
};

/**
 * Budget for `effort`, leaving at least a quarter of `max_tokens` for the answer. Undefined when `max_tokens`
 * is too small for any valid budget (it must be ≥ 1024 and < max_tokens).
 *
 * @example thinkingBudget(32000, "high") === 16384
 */
export function thinkingBudget(maxTokens: number, effort: Effort = "high"): number | undefined {
  if (maxTokens <= MIN_THINKING_BUDGET) return undefined;
  const budget = Math.min(budgetByEffort[effort], Math.floor(maxTokens * 0.75));
  return Math.min(Math.max(budget, MIN_THINKING_BUDGET), maxTokens - 1);
}

export type UpstreamThinking =
  | { type: "enabled"; budget_tokens: number }
  | { type: "disabled" }
  | Record<string, unknown>;

/** Undefined means: send no `thinking` field. */
export function anthropicThinkingFromHub(
  request: Pick<HubRequest, "thinking" | "max_tokens" | "output_config">,
  profile: AnthropicUpstreamProfile,
): UpstreamThinking | undefined {
  const thinking = request.thinking;
  if (!thinking) return undefined;
  if (profile.adaptiveThinking) return thinking;
  if (thinking.type === "disabled") return { type: "disabled" };
  // `display` and other newer keys are dropped: strict upstreams reject extra inputs.
  const budget = thinking.type === "enabled"
    ? clampBudget(thinking.budget_tokens, request.max_tokens)
    : thinkingBudget(request.max_tokens, request.output_config?.effort);
  return budget === undefined ? undefined : { type: "enabled", budget_tokens: budget };
}

function clampBudget(budget: number, maxTokens: number): number | undefined {
  if (maxTokens <= MIN_THINKING_BUDGET) return undefined;
  return Math.min(Math.max(budget, MIN_THINKING_BUDGET), maxTokens - 1);
}
