/** Responses usage → hub usage. `input_tokens` includes cached and cache-write tokens; Anthropic counts them apart. */
import type { Usage } from "../../hub/schema.ts";
import type { ResponsesUsage } from "./response_schema.ts";

/** `output_tokens` already includes reasoning tokens, as Anthropic's does with thinking. */
export function openaiResponsesUsageToHub(usage: ResponsesUsage | null | undefined): Partial<Usage> {
  if (!usage) return {};
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  const written = usage.input_tokens_details?.cache_write_tokens ?? 0;
  const out: Partial<Usage> = {
    input_tokens: Math.max(0, (usage.input_tokens ?? 0) - cached - written),
    output_tokens: usage.output_tokens ?? 0,
    cache_read_input_tokens: cached,
  };
  if (written > 0) out.cache_creation_input_tokens = written;
  return out;
}
