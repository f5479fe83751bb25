/** The upstream request of an OpenAI-format pass-through (Chat or Responses): the client's JSON, model swapped. */
import type { UpstreamCall, UpstreamRequest } from "../../hub/wire_format.ts";
import { OPENCODE_CLIENT, USER_AGENT } from "../../upstream/identity.ts";

/** `POST {base}{path}` with the client's JSON, the upstream model in place, and the gateway's headers. */
export function openaiPassthroughRequest(
  path: string,
  body: Record<string, unknown>,
  call: UpstreamCall,
  stream: boolean,
): UpstreamRequest {
  return {
    url: `${call.model.baseUrl.replace(/\/+$/, "")}${path}`,
    headers: {
      "authorization": `Bearer ${call.apiKey}`,
      "content-type": "application/json",
      "accept": stream ? "text/event-stream" : "application/json",
      "user-agent": USER_AGENT,
      // OpenCode Go answers 400 MissingSessionID without it.
      "x-opencode-session": call.sessionId,
      "x-opencode-client": OPENCODE_CLIENT,
    },
    body: JSON.stringify({ ...body, model: call.model.upstreamModel }),
  };
}

/**
 * The client's JSON with a clamped max-tokens limit written to the fields it set (or to the first of `fields`
 * when it set none); the body itself when nothing was clamped.
 */
export function withMaxTokens(
  body: Record<string, unknown>,
  fields: readonly string[],
  maxTokens: number | undefined,
): Record<string, unknown> {
  if (maxTokens === undefined) return body;
  const set = fields.filter((field) => body[field] !== undefined && body[field] !== null);
  const clamped = { ...body };
  for (const field of set.length > 0 ? set : fields.slice(0, 1)) clamped[field] = maxTokens;
  return clamped;
}
