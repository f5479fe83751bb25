/** Derives the stable per-conversation id OpenCode needs in `x-opencode-session` (Go answers 400 without it). */
import type { HubRequest } from "../formats/anthropic/schema.ts";

const encoder = new TextEncoder();

async function sha256Hex(text: string, length: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex.slice(0, length);
}

/** `session_id` from Claude Code's `metadata.user_id` (a JSON string since ~v2.1.78, older `…_session_<uuid>`). */
export function sessionFromUserId(userId: string | null | undefined): string | undefined {
  if (!userId) return undefined;
  if (userId.startsWith("{")) {
    try {
      const parsed = JSON.parse(userId) as { session_id?: unknown };
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

/**
 * Session id namespaced by a hash of the key, so two users of one gateway never share an upstream session.
 * Order: explicit header, then metadata.user_id, then a hash of the first user message.
 */
export async function deriveSessionId(
  headers: Headers,
  request: Pick<HubRequest, "messages" | "metadata">,
  apiKey: string,
): Promise<string> {
  const namespace = await sha256Hex(apiKey, 8);
  const explicit = headers.get("x-claude-code-session-id") ?? headers.get("x-opencode-session") ??
    headers.get("x-session-affinity") ?? sessionFromUserId(request.metadata?.user_id);
  const id = explicit ? explicit.slice(0, 64) : `h${await sha256Hex(firstUserText(request), 24)}`;
  return `ocb-${namespace}-${id}`;
}
