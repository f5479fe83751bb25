/** Session hints of OpenAI clients (Codex, the SDKs) as the header the session-id derivation reads. */
import type { HubRequest } from "../../hub/schema.ts";
import { safeSessionHint } from "../../upstream/session_id.ts";

/**
 * Session hints OpenAI clients carry, as a header deriveSessionId reads: Codex sends `session_id`, and a
 * `prompt_cache_key` names a conversation (or at least a user) as well. A hint that is not a plain token
 * (a `prompt_cache_key` may hold any character, which a header cannot) is hashed first.
 */
export async function openaiSessionHeaders(
  headers: Headers,
  promptCacheKey: string | null | undefined,
): Promise<Headers> {
  const explicit = ["x-claude-code-session-id", "x-opencode-session", "x-session-affinity"];
  if (explicit.some((name) => headers.has(name))) return headers;
  const hint = headers.get("session_id") ?? headers.get("session-id") ?? promptCacheKey;
  if (!hint) return headers;
  const out = new Headers(headers);
  out.set("x-session-affinity", await safeSessionHint(hint));
  return out;
}

/** What deriveSessionId reads for an OpenAI client: its hint headers, and its first user turn as a hub message. */
export async function openaiSessionSource(
  headers: Headers,
  promptCacheKey: string | null | undefined,
  firstUserText: string,
): Promise<{ headers: Headers; request: Pick<HubRequest, "messages"> }> {
  return {
    headers: await openaiSessionHeaders(headers, promptCacheKey),
    request: { messages: [{ role: "user", content: firstUserText }] },
  };
}
