/** OpenAI's reasoning effort (Chat `reasoning_effort`, Responses `reasoning.effort`) and what it means in the hub. */
import { z } from "zod";
import type { Effort, HubThinkingConfig } from "../../hub/schema.ts";

export const reasoningEffortSchema = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

const budgetByEffort: Record<Effort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 65536,
};

/**
 * `reasoning_effort` / `reasoning.effort` → hub thinking: `none` turns thinking off; any other value turns it
 * on with a budget below `max_tokens` and records the effort, which effort-based upstreams read directly.
 */
export function reasoningToHub(
  effort: ReasoningEffort | undefined,
  maxTokens: number,
): { thinking?: HubThinkingConfig; output_config?: { effort: Effort } } {
  if (effort === undefined) return {};
  if (effort === "none") return { thinking: { type: "disabled" } };
  const budget = Math.min(budgetByEffort[effort], maxTokens - 1);
  const thinking: HubThinkingConfig = budget >= 1024
    ? { type: "enabled", budget_tokens: budget }
    : { type: "adaptive" };
  return { thinking, output_config: { effort } };
}
