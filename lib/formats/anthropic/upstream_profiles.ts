/**
 * What each Anthropic-format upstream accepts beyond the core Messages API, as data. The request sanitizer
 * reads a profile; nothing else branches on a model name. Unknown upstreams get the strict profile, because
 * forwarding an extra that an upstream rejects costs the user a 400 and a Claude Code capability retry.
 */
import type { ResolvedModel, Service } from "../../catalog/types.ts";

export interface AnthropicUpstreamProfile {
  name: string;
  /** `anthropic-beta` header: forward the client's list verbatim, or send none. */
  betas: "forward" | "drop";
  /** `thinking: {type:"adaptive"}` is understood; otherwise it becomes `enabled` with a budget. */
  adaptiveThinking: boolean;
  /** `output_config` (effort, structured output) is understood; otherwise effort only sizes the budget. */
  outputConfig: boolean;
  /** `context_management` (beta, paired with `context-management-2025-06-27`). */
  contextManagement: boolean;
  /** Beta tool fields (`defer_loading`, `strict`, `eager_input_streaming`…) and deferred tools. */
  toolBetaFields: boolean;
  /** `cache_control` on message and system blocks (tool-level markers follow `toolBetaFields`). */
  cacheControl: boolean;
  /** `metadata` as sent by the client (Claude Code's `user_id` is a JSON string, not an Anthropic id). */
  metadata: boolean;
  /** Top-level fields outside the core API (`service_tier`, `container`, top-level `cache_control`…). */
  otherFields: boolean;
  /** The upstream serves `/messages/count_tokens` (otherwise tokens are counted locally). */
  countTokens: boolean;
}

/** MiniMax and Qwen behind OpenCode Go/Zen: the core Messages API plus `cache_control`, nothing beta. */
export const strictProfile: AnthropicUpstreamProfile = {
  name: "strict",
  betas: "drop",
  adaptiveThinking: false,
  outputConfig: false,
  contextManagement: false,
  toolBetaFields: false,
  cacheControl: true,
  metadata: false,
  otherFields: false,
  countTokens: false,
};

/** Real Claude behind Zen: Claude Code's extras work as on api.anthropic.com, betas travel with their fields. */
export const claudeProfile: AnthropicUpstreamProfile = {
  name: "claude",
  betas: "forward",
  adaptiveThinking: true,
  outputConfig: true,
  contextManagement: true,
  toolBetaFields: true,
  cacheControl: true,
  metadata: true,
  otherFields: true,
  // Zen's handler only proxies /messages; count_tokens is not among OpenCode's routes (opencode.md §1).
  countTokens: false,
};

interface ProfileRule {
  service?: Service;
  /** Prefix of the upstream model id, as the catalog resolved it. */
  modelPrefix?: string;
  profile: AnthropicUpstreamProfile;
}

/** First match wins; anything unmatched is strict. */
export const profileRules: readonly ProfileRule[] = [
  { service: "zen", modelPrefix: "claude-", profile: claudeProfile },
];

export function resolveAnthropicProfile(
  model: Pick<ResolvedModel, "service" | "upstreamModel">,
  rules: readonly ProfileRule[] = profileRules,
): AnthropicUpstreamProfile {
  const rule = rules.find((candidate) =>
    (candidate.service === undefined || candidate.service === model.service) &&
    (candidate.modelPrefix === undefined || model.upstreamModel.startsWith(candidate.modelPrefix))
  );
  return rule?.profile ?? strictProfile;
}
