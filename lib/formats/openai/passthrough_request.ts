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
    headers: new Headers({
      "authorization": `Bearer ${call.apiKey}`,
      "content-type": "application/json",
      "accept": stream ? "text/event-stream" : "application/json",
      "user-agent": USER_AGENT,
      // OpenCode Go answers 400 MissingSessionID without it.
      "x-opencode-session": call.sessionId,
      "x-opencode-client": OPENCODE_CLIENT,
    }),
    body: JSON.stringify({ ...body, model: call.model.upstreamModel }),
  };
}
