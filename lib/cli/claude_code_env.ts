/**
 * The `env` block `setup claude-code` writes into Claude Code's settings.json, computed from the chosen
 * models' real limits in the catalog (shared/reference/claude-code-client.md §5, §9).
 */
import { looksLikeClaude } from "../catalog/model_names.ts";
import type { ResolvedModel } from "../catalog/types.ts";

/** What each Claude Code model slot is set to: the name written, and the catalog entry it resolves to. */
export interface ModelChoice {
  name: string;
  model: ResolvedModel;
}

export interface ClaudeCodeChoices {
  /** Gateway root, without `/v1` (Claude Code appends `/v1/messages`). */
  url: string;
  /** Sent as `Authorization: Bearer`: the user's OpenCode key, or a gateway key when GATEWAY_KEYS is set. */
  key: string;
  main: ModelChoice;
  opus: ModelChoice;
  sonnet: ModelChoice;
  haiku: ModelChoice;
  /** Fill Claude Code's /model picker from the gateway's GET /v1/models. */
  discovery: boolean;
}

/** Every `env` key this helper owns: rewritten on each run, and removed when no longer wanted. */
export const managedEnvKeys = [
  "ANTHROPIC_BASE_URL",
  "ANTHROPIC_AUTH_TOKEN",
  "ANTHROPIC_MODEL",
  "ANTHROPIC_DEFAULT_OPUS_MODEL",
  "ANTHROPIC_DEFAULT_SONNET_MODEL",
  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
  "ANTHROPIC_SMALL_FAST_MODEL",
  "CLAUDE_CODE_MAX_CONTEXT_TOKENS",
  "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
  "CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY",
] as const;

/**
 * Keys removed from the block because they break a gateway setup: with ANTHROPIC_API_KEY next to the token,
 * interactive Claude Code asks "use this API key?" (No preselected) and then says "Not logged in".
 */
export const conflictingEnvKeys = ["ANTHROPIC_API_KEY"] as const;

export interface ClaudeCodeEnv {
  env: Record<string, string>;
  /** Plain-words notes on choices the user should know about. */
  notes: string[];
}

/** Gateway root as Claude Code wants it: no trailing slash, no `/v1`. */
export function normalizeBaseUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${parsed.origin}${path}`;
}

export function claudeCodeEnv(choices: ClaudeCodeChoices): ClaudeCodeEnv {
  const notes: string[] = [];
  const slots = [choices.main, choices.opus, choices.sonnet, choices.haiku];
  const env: Record<string, string> = {
    ANTHROPIC_BASE_URL: normalizeBaseUrl(choices.url),
    ANTHROPIC_AUTH_TOKEN: choices.key,
    ANTHROPIC_MODEL: choices.main.name,
    ANTHROPIC_DEFAULT_OPUS_MODEL: choices.opus.name,
    ANTHROPIC_DEFAULT_SONNET_MODEL: choices.sonnet.name,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: choices.haiku.name,
    // Deprecated predecessor of ANTHROPIC_DEFAULT_HAIKU_MODEL; older Claude Code versions read only this one.
    ANTHROPIC_SMALL_FAST_MODEL: choices.haiku.name,
  };
  // The variable is one value for every model, so the smallest window keeps every model's requests fitting.
  const context = Math.min(...slots.map((slot) => slot.model.limits.context));
  const claudeLooking = slots.filter((slot) => looksLikeClaude(slot.name)).map((slot) => slot.name);
  if (claudeLooking.length === 0) {
    env.CLAUDE_CODE_MAX_CONTEXT_TOKENS = String(context);
  } else {
    notes.push(
      `CLAUDE_CODE_MAX_CONTEXT_TOKENS is not written: Claude Code ignores it for Claude-looking model names ` +
        `(${[...new Set(claudeLooking)].join(", ")}) and assumes that Claude model's window instead.`,
    );
  }
  // The model's real cap, but never more than half the window: a larger reservation leaves too little room
  // for the conversation before Claude Code compacts. The gateway also clamps per model.
  const output = Math.min(choices.main.model.limits.output, Math.floor(context / 2));
  env.CLAUDE_CODE_MAX_OUTPUT_TOKENS = String(output);
  if (choices.discovery) env.CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY = "1";
  return { env, notes };
}
