/**
 * `messages[]` for an Anthropic-format upstream that is stricter than api.anthropic.com: Claude Code's
 * `role:"system"` entries become `<system-reminder>` text in the neighbouring user turn (what Claude Code itself
 * does after a strict upstream rejects them), empty blocks and messages go, same-role turns are merged, thinking
 * is restored from this upstream's own signature envelopes and every other thinking block is dropped
 * (thinking_signature.ts), and tool ids get the shape Anthropic requires.
 */
import type { HubContentBlock, HubMessage } from "../../hub/schema.ts";
import { unwrapAnthropicSignature } from "./thinking_signature.ts";
import type { AnthropicUpstreamProfile } from "./upstream_profiles.ts";

type Block = HubContentBlock | Record<string, unknown> & { type: string };
type UpstreamMessage = { role: "user" | "assistant"; content: string | Block[] };

export interface UpstreamMessages {
  messages: UpstreamMessage[];
  /**
   * The final assistant turn calls tools but lost its thinking here (another model or family made it).
   * Anthropic rejects such a turn while thinking is on, so the caller sends this request without thinking.
   */
  finalTurnLostThinking: boolean;
}

const TOOL_ID = /^[a-zA-Z0-9_-]+$/;

/** Rewrites ids like Kimi's `functions.Write:0` the same way for `tool_use.id` and `tool_result.tool_use_id`. */
export function createToolIdMapper(messages: readonly HubMessage[]): (id: string) => string {
  const used = new Set<string>();
  for (const message of messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_use" && TOOL_ID.test(block.id)) used.add(block.id);
    }
  }
  const mapped = new Map<string, string>();
  return (id) => {
    if (TOOL_ID.test(id)) return id;
    let out = mapped.get(id);
    if (out !== undefined) return out;
    const base = id.replace(/[^a-zA-Z0-9_-]/g, "_") || "toolu";
    out = base;
    for (let suffix = 2; used.has(out); suffix++) out = `${base}_${suffix}`;
    used.add(out);
    mapped.set(id, out);
    return out;
  };
}

function withoutCacheControl<T extends object>(block: T): T {
  if (!("cache_control" in block)) return block;
  const { cache_control: _, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}

function systemReminder(content: HubMessage["content"]): Block[] {
  const blocks = typeof content === "string" ? [{ type: "text" as const, text: content }] : content;
  return blocks.map((block) =>
    block.type === "text" && block.text.trim() !== ""
      ? { ...block, text: `<system-reminder>\n${block.text}\n</system-reminder>` }
      : block
  );
}

function isEmptyText(block: { type: string; text?: unknown }): boolean {
  return block.type === "text" && typeof block.text === "string" && block.text.trim() === "";
}

interface BlockContext {
  profile: AnthropicUpstreamProfile;
  /** This upstream's signature origin (thinking_signature.ts). */
  origin: string;
  toolId: (id: string) => string;
}

/** One block as the upstream may see it, or undefined to drop it. */
function blockFromHub(block: Block, context: BlockContext): Block | undefined {
  if (isEmptyText(block as { type: string })) return undefined;
  let out = context.profile.cacheControl ? block : withoutCacheControl(block);
  switch (out.type) {
    // Only what this upstream minted goes back, unwrapped. A raw signature is dropped too, on every profile:
    // every signature this gateway hands out is enveloped, so a raw one was never seen by it and its maker is
    // unknown. On the `claude` profile it may be a genuine Anthropic signature from before the gateway (a
    // session that started on api.anthropic.com), but it may as well be MiniMax's or Qwen's from an older
    // gateway, and a wrong guess costs a 400 after which Claude Code strips thinking for the rest of the
    // conversation; dropping costs only that old reasoning (and `thinking` on a request whose last
    // tool-calling turn lost it, see finalTurnLostThinking).
    case "thinking": {
      const signature = unwrapAnthropicSignature((out as { signature?: string }).signature, context.origin);
      return signature === undefined ? undefined : { ...out, signature };
    }
    case "redacted_thinking": {
      const data = unwrapAnthropicSignature((out as { data: string }).data, context.origin);
      return data === undefined ? undefined : { ...out, data };
    }
    case "tool_use": {
      const id = context.toolId((out as { id: string }).id);
      return id === (out as { id: string }).id ? out : { ...out, id };
    }
    case "tool_result": {
      const result = out as Extract<HubContentBlock, { type: "tool_result" }>;
      const toolUseId = context.toolId(result.tool_use_id);
      if (toolUseId !== result.tool_use_id) out = { ...result, tool_use_id: toolUseId };
      if (Array.isArray(result.content)) {
        const content = result.content
          .filter((inner) => !isEmptyText(inner))
          .map((inner) => context.profile.cacheControl ? inner : withoutCacheControl(inner));
        out = { ...out, content: content.length > 0 ? content : undefined } as Block;
      }
      return out;
    }
    default:
      return out;
  }
}

/** Sanitizes `messages[]` per the profile, for the upstream `origin` (anthropicSignatureOrigin). */
export function anthropicMessagesFromHub(
  messages: readonly HubMessage[],
  profile: AnthropicUpstreamProfile,
  origin: string,
): UpstreamMessages {
  const context: BlockContext = { profile, origin, toolId: createToolIdMapper(messages) };
  const out: UpstreamMessage[] = [];
  const lostThinking = new Set<UpstreamMessage>();
  for (const message of messages) {
    const role = message.role === "system" ? "user" : message.role;
    const source = message.role === "system" ? systemReminder(message.content) : message.content;
    let content: string | Block[];
    let dropped = false;
    if (typeof source === "string") {
      if (source.trim() === "") continue;
      content = source;
    } else {
      content = [];
      for (const block of source) {
        const kept = blockFromHub(block, context);
        if (kept) content.push(kept);
        else if (block.type === "thinking" || block.type === "redacted_thinking") dropped = true;
      }
      if (content.length === 0) continue;
    }
    const previous = out.at(-1);
    const target = previous?.role === role ? previous : { role, content: [] as Block[] };
    if (target !== previous) out.push(target);
    target.content = target.content.length === 0 && target !== previous
      ? content
      : [...asBlocks(target.content), ...asBlocks(content)];
    if (dropped) lostThinking.add(target);
  }
  for (const message of out) {
    // Anthropic wants a user turn's tool_result blocks first; folding and merging can put text before them.
    if (message.role === "user" && Array.isArray(message.content)) {
      const content = message.content;
      message.content = [
        ...content.filter((block) => block.type === "tool_result"),
        ...content.filter((block) => block.type !== "tool_result"),
      ];
    }
  }
  const final = out.findLast((message) => message.role === "assistant");
  const finalBlocks = final ? asBlocks(final.content) : [];
  const finalTurnLostThinking = final !== undefined && lostThinking.has(final) &&
    finalBlocks.some((block) => block.type === "tool_use") &&
    !finalBlocks.some((block) => block.type === "thinking" || block.type === "redacted_thinking");
  return { messages: out, finalTurnLostThinking };
}

function asBlocks(content: string | Block[]): Block[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}
