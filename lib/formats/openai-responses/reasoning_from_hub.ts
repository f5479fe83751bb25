/** Anthropic `thinking` + `output_config.effort` → Responses `reasoning.effort`, kept within what the model accepts. */
import type { HubRequest } from "../../hub/schema.ts";

/** Every effort the Responses API knows, weakest first. */
const effortScale = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
export type ResponsesEffort = typeof effortScale[number];

/** Accepted by every reasoning model on `/responses` when the catalog lists no efforts. */
const safeEfforts: readonly ResponsesEffort[] = ["low", "medium", "high"];

/** `budget_tokens` bands: Anthropic's own guidance puts 16k+ at "hard problems" and 32k+ at the top. */
function effortForBudget(budget: number): ResponsesEffort {
  if (budget < 4_096) return "low";
  if (budget < 16_384) return "medium";
  if (budget < 32_768) return "high";
  return "xhigh";
}

function wantedEffort(request: HubRequest): ResponsesEffort | undefined {
  const thinking = request.thinking;
  const effort = request.output_config?.effort;
  if (thinking?.type === "disabled") return "none";
  if (thinking?.type === "enabled") return effort ?? effortForBudget(thinking.budget_tokens);
  if (thinking?.type === "adaptive") return effort ?? "medium";
  return effort;
}

/** The accepted effort nearest to `wanted`; on a tie the weaker one, so a request never costs more than asked. */
export function clampEffort(wanted: ResponsesEffort, accepted: readonly string[]): string | undefined {
  const rank = (effort: string) => effortScale.indexOf(effort as ResponsesEffort);
  const known = accepted.filter((effort) => rank(effort) >= 0);
  if (known.includes(wanted)) return wanted;
  let best: string | undefined;
  for (const effort of known) {
    const distance = Math.abs(rank(effort) - rank(wanted));
    const bestDistance = best === undefined ? Infinity : Math.abs(rank(best) - rank(wanted));
    if (distance < bestDistance || (distance === bestDistance && rank(effort) < rank(best!))) best = effort;
  }
  return best;
}

/**
 * @example
 * openaiResponsesEffortFromHub({ thinking: { type: "disabled" } } as HubRequest, ["none", "low", "high"]) === "none"
 */
export function openaiResponsesEffortFromHub(
  request: HubRequest,
  efforts: readonly string[] | null,
): string | undefined {
  const wanted = wantedEffort(request);
  if (wanted === undefined) return undefined;
  return clampEffort(wanted, efforts && efforts.length > 0 ? efforts : safeEfforts);
}
