/** Anthropic `thinking` + `output_config.effort` → Gemini `thinkingConfig`. */
import type { ResolvedModel } from "../../catalog/types.ts";
import type { Effort, HubRequest } from "../../hub/schema.ts";

export type GeminiThinkingLevel = "MINIMAL" | "LOW" | "MEDIUM" | "HIGH";

export interface GeminiThinkingConfig {
  includeThoughts: boolean;
  thinkingBudget?: number;
  thinkingLevel?: GeminiThinkingLevel;
}

/** Levels every Gemini 3 model takes when the catalog lists none (Pro has only these two). */
const safeLevels = ["low", "high"];

/** Preferred levels for each wanted effort, best first: a missing level falls to its nearest neighbour. */
const candidatesByEffort: Record<Effort | "none", string[]> = {
  none: ["minimal", "low"],
  minimal: ["minimal", "low"],
  low: ["low", "minimal", "medium"],
  medium: ["medium", "high", "low"],
  high: ["high", "medium"],
  xhigh: ["high", "medium"],
  max: ["high", "medium"],
};

function levelFor(
  effort: Effort | "none",
  efforts: readonly string[] | null,
): GeminiThinkingLevel | undefined {
  const accepted = efforts && efforts.length > 0 ? efforts.map((level) => level.toLowerCase()) : safeLevels;
  const level = candidatesByEffort[effort].find((candidate) => accepted.includes(candidate));
  return level?.toUpperCase() as GeminiThinkingLevel | undefined;
}

/**
 * Gemini 3 cannot switch thinking off, so "disabled" asks for the lowest level and hides the thoughts.
 * A budget is passed as `thinkingBudget`; adaptive thinking and a bare effort become a `thinkingLevel`.
 * Without any thinking setting the model's default applies and thoughts stay hidden, as on Anthropic.
 */
export function geminiThinkingFromHub(
  request: HubRequest,
  model: ResolvedModel,
): GeminiThinkingConfig | undefined {
  if (!model.capabilities.reasoning) return undefined;
  const { thinking } = request;
  const effort = request.output_config?.effort;
  const efforts = model.capabilities.efforts;
  const withLevel = (includeThoughts: boolean, wanted: Effort | "none"): GeminiThinkingConfig => {
    const thinkingLevel = levelFor(wanted, efforts);
    return { includeThoughts, ...(thinkingLevel ? { thinkingLevel } : {}) };
  };
  switch (thinking?.type) {
    case "disabled":
      return withLevel(false, "none");
    case "enabled":
      return effort
        ? withLevel(true, effort)
        : { includeThoughts: true, thinkingBudget: thinking.budget_tokens };
    case "adaptive":
      return withLevel(true, effort ?? "medium");
    default:
      return effort ? withLevel(false, effort) : undefined;
  }
}
