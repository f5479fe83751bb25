/** Chat Completions usage → Anthropic usage (cached tokens split out of the prompt count). */
import type { Usage } from "../../hub/schema.ts";
import type { OpenaiChatUsage } from "./response_schema.ts";

/**
 * `prompt_tokens` includes cache hits on every provider, but where hits are reported differs: OpenAI's
 * `prompt_tokens_details.cached_tokens`, Kimi's top-level `cached_tokens`, DeepSeek's `prompt_cache_hit_tokens`.
 * Without the split Claude Code would show every cached token as fresh input.
 *
 * @example openaiChatUsageToHub({ prompt_tokens: 100, completion_tokens: 5, cached_tokens: 60 })
 * // { input_tokens: 40, output_tokens: 5, cache_read_input_tokens: 60 }
 */
export function openaiChatUsageToHub(usage: OpenaiChatUsage | null | undefined): Usage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const prompt = count(usage.prompt_tokens);
  const cached = Math.min(
    prompt,
    count(usage.prompt_tokens_details?.cached_tokens) || count(usage.cached_tokens) ||
      count(usage.prompt_cache_hit_tokens),
  );
  const written = Math.min(prompt - cached, count(usage.prompt_tokens_details?.cache_write_tokens));
  const out: Usage = {
    input_tokens: prompt - cached - written,
    output_tokens: count(usage.completion_tokens),
    cache_read_input_tokens: cached,
  };
  if (written > 0) out.cache_creation_input_tokens = written;
  return out;
}

function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
