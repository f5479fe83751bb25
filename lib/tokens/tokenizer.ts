/**
 * o200k_base from npm `gpt-tokenizer`, loaded on first use (its merge tables cost ~0.5 s and several MB, which
 * a cold start on Deno Deploy should not pay before the first count). Exact for OpenAI models; an estimate for
 * the others (Kimi, GLM, DeepSeek, Qwen, MiniMax, Claude use their own vocabularies).
 */

type CountTokens = (text: string) => number;

let loading: Promise<CountTokens> | undefined;

// Special-token strings inside user text (`<|endoftext|>`) are counted as plain text instead of throwing.
const asPlainText = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/** The counting function, shared by every caller once loaded. */
export function loadTokenizer(): Promise<CountTokens> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((module) => (text: string) =>
    text.length === 0 ? 0 : module.countTokens(text, asPlainText)
  );
  return loading;
}
