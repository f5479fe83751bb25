/**
 * The model-name forms the gateway accepts besides bare ids: OpenCode config prefixes (`opencode-go/…`,
 * `opencode/…`), claude-looking gateway aliases (`claude-go-<id>`, `claude-zen-<id>`, for clients that only
 * accept Claude-looking names) and real Claude names, which map to Go models through MODEL_* settings.
 */
import type { Config } from "../config.ts";
import type { Service } from "./types.ts";

export interface NameForm {
  /** The model id once prefix or alias is removed. */
  id: string;
  /** Service the form itself names, if any. */
  service?: Service;
  matchedBy?: "opencode-prefix" | "gateway-alias";
}

const prefixPattern = /^(opencode-go|opencode)\/(.+)$/i;
const aliasPattern = /^claude-(go|zen)-(.+)$/i;
// Claude Code may append `[1m]` to pick a 1M-context variant; routing ignores it.
const variantSuffix = /\[1m\]$/i;

/**
 * Splits a client's model name into id and the service its form names.
 *
 * @example
 * ```ts
 * parseModelName("opencode/gpt-5.5"); // { id: "gpt-5.5", service: "zen", matchedBy: "opencode-prefix" }
 * parseModelName("claude-go-kimi-k2.6"); // { id: "kimi-k2.6", service: "go", matchedBy: "gateway-alias" }
 * ```
 */
export function parseModelName(name: string): NameForm {
  const trimmed = name.trim().replace(variantSuffix, "");
  const prefix = prefixPattern.exec(trimmed);
  if (prefix) {
    return {
      id: prefix[2],
      service: prefix[1].toLowerCase() === "opencode-go" ? "go" : "zen",
      matchedBy: "opencode-prefix",
    };
  }
  const alias = aliasPattern.exec(trimmed);
  if (alias) {
    return { id: alias[2], service: alias[1].toLowerCase() as Service, matchedBy: "gateway-alias" };
  }
  return { id: trimmed };
}

/** The claude-looking alias a client can use for a model (ids that already look like Claude need none). */
export function gatewayAliasFor(service: Service, id: string): string | undefined {
  return looksLikeClaude(id) ? undefined : `claude-${service}-${id}`;
}

/** What Claude Desktop accepts as a model name, and what the default route maps through MODEL_* settings. */
export function looksLikeClaude(id: string): boolean {
  return /claude|opus|sonnet|haiku|fable/i.test(id);
}

export type ClaudeAliasSetting = "MODEL_OPUS" | "MODEL_SONNET" | "MODEL_HAIKU";

/** Which setting a Claude name maps through: opus and fable → MODEL_OPUS, haiku → HAIKU, else SONNET. */
export function claudeAliasSetting(id: string): ClaudeAliasSetting {
  if (/opus|fable/i.test(id)) return "MODEL_OPUS";
  if (/haiku/i.test(id)) return "MODEL_HAIKU";
  return "MODEL_SONNET";
}

export function claudeAliasTarget(
  id: string,
  config: Config,
): { setting: ClaudeAliasSetting; target: string } {
  const setting = claudeAliasSetting(id);
  return { setting, target: config[setting] };
}
