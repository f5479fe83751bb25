/** Derives the stable per-conversation id OpenCode needs in `x-opencode-session` (Go answers 400 without it). */
import { parseJsonWithinDepth } from "../hub/json_depth.ts";
import type { HubRequest } from "../hub/schema.ts";
import { sha256Hex } from "./sha256_hex.ts";

const sha256Prefix = async (text: string, length: number) => (await sha256Hex(text)).slice(0, length);

/** `session_id` from Claude Code's `metadata.user_id` (a JSON string since ~v2.1.78, older `…_session_<uuid>`). */
export function sessionFromUserId(userId: string | null | undefined): string | undefined {
  if (!userId) return undefined;
  if (userId.startsWith("{")) {
    try {
      const parsed = parseJsonWithinDepth(userId) as { session_id?: unknown };
      if (typeof parsed.session_id === "string" && parsed.session_id) return parsed.session_id;
    } catch { /* not JSON after all: try the legacy form */ }
  }
  const legacy = /_session_([0-9a-zA-Z-]+)$/.exec(userId);
  return legacy?.[1];
}

function firstUserText(request: Pick<HubRequest, "messages">): string {
  const first = request.messages.find((message) => message.role === "user");
  if (!first) return "";
  if (typeof first.content === "string") return first.content;
  return first.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
}

/** A client's session hint that may go upstream as it is; anything else (too long, any other byte) is hashed. */
export const SAFE_SESSION_HINT = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The hint as it is when SAFE_SESSION_HINT allows it, else `s` + a hash of it: the result is always a valid
 * header value (a hint from metadata or a JSON body may hold any character, and `x-opencode-session` would
 * then throw) and is stable per conversation either way.
 */
export async function safeSessionHint(hint: string): Promise<string> {
  return SAFE_SESSION_HINT.test(hint) ? hint : `s${await sha256Prefix(hint, 32)}`;
}

let lastKey: string | undefined;
let lastNamespace = "";

/** The key's hash prefix; the last key's is remembered, as nearly every request of a gateway uses one key. */
async function keyNamespace(apiKey: string): Promise<string> {
  if (apiKey !== lastKey) [lastKey, lastNamespace] = [apiKey, await sha256Prefix(apiKey, 8)];
  return lastNamespace;
}

/**
 * Session id namespaced by a hash of the key, so two users of one gateway never share an upstream session.
 * Order: explicit header, then metadata.user_id, then a hash of the first user message.
 */
export async function deriveSessionId(
  headers: Headers,
  request: Pick<HubRequest, "messages" | "metadata">,
  apiKey: string,
): Promise<string> {
  const namespace = await keyNamespace(apiKey);
  const explicit = headers.get("x-claude-code-session-id") ?? headers.get("x-opencode-session") ??
    headers.get("x-session-affinity") ?? sessionFromUserId(request.metadata?.user_id);
  const id = explicit
    ? await safeSessionHint(explicit)
    : `h${await sha256Prefix(firstUserText(request), 24)}`;
  return `ocb-${namespace}-${id}`;
}
