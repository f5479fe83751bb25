/** The Gemini upstream (`POST {base}/models/{model}:streamGenerateContent?alt=sse`): Gemini models on Zen. */
import { OPENCODE_CLIENT, USER_AGENT } from "../../upstream/identity.ts";
import type { UpstreamFormat } from "../../hub/wire_format.ts";
import { geminiRequestFromHub } from "./request_from_hub.ts";
import { geminiStreamToHub } from "./stream_to_hub.ts";

export const geminiUpstream: UpstreamFormat = {
  family: "gemini",
  buildRequest(request, call) {
    const body = geminiRequestFromHub(request, call.model);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "text/event-stream",
      "x-goog-api-key": call.apiKey,
      "x-opencode-session": call.sessionId,
      "user-agent": USER_AGENT,
      "x-opencode-client": OPENCODE_CLIENT,
    };
    const base = call.model.baseUrl.replace(/\/+$/, "");
    const model = encodeURIComponent(call.model.upstreamModel);
    return {
      url: `${base}/models/${model}:streamGenerateContent?alt=sse`,
      headers,
      body: JSON.stringify(body),
    };
  },
  createStreamToHub: geminiStreamToHub,
};
