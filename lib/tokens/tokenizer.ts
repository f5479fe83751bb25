/**
 * o200k_base from npm `gpt-tokenizer`, loaded on first use, not at startup: its tables take ~60 MiB of RSS and
 * ~0.1 s to load, which most requests (and most gateways) never need. Exact for OpenAI models; an estimate for
 * the others (Kimi, GLM, DeepSeek, Qwen, MiniMax, Claude use their own vocabularies).
 */

type CountTokens = (text: string) => number;

let loading: Promise<CountTokens> | undefined;

const mergeCacheSize = 4_096;

// Special-token strings inside user text (`<|endoftext|>`) are counted as plain text instead of throwing.
const asPlainText = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/** The counting function, shared by every caller once loaded. */
export function loadTokenizer(): Promise<CountTokens> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((module) => {
    // The library keeps up to 100,000 merged pieces for the life of the process; a few thousand keep the
    // repeated parts of a conversation (system prompt, tool schemas) fast without holding memory for ever.
    module.setMergeCacheSize(mergeCacheSize);
    return (text: string) => text.length === 0 ? 0 : module.countTokens(text, asPlainText);
  });
  return loading;
}
