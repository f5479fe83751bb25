/** Gemini usageMetadata → hub usage. */
import type { Usage } from "../../hub/schema.ts";
import type { GeminiUsage } from "./response_schema.ts";

/**
 * `promptTokenCount` includes cached tokens (Anthropic counts them apart); `candidatesTokenCount` excludes
 * thoughts, which Anthropic counts as output.
 */
export function geminiUsageToHub(usage: GeminiUsage | null | undefined): Partial<Usage> {
  if (!usage) return {};
  const cached = usage.cachedContentTokenCount ?? 0;
  const prompt = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    cache_read_input_tokens: cached,
  };
}
