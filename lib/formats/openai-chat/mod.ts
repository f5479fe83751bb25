/** The OpenAI Chat Completions upstream (`{baseUrl}/chat/completions`): DeepSeek, Kimi, GLM, MiMo on OpenCode Go. */
import { OPENCODE_CLIENT, USER_AGENT } from "../../upstream/identity.ts";
import type { UpstreamFormat } from "../../hub/wire_format.ts";
import {
  openaiChatAnswerUsage,
  openaiChatPassthroughFilter,
  openaiChatPassthroughRequest,
} from "./passthrough.ts";
import { openaiChatRequestFromHub } from "./request_from_hub.ts";
import { openaiChatStreamToHub } from "./stream_to_hub.ts";

export const openaiChatUpstream: UpstreamFormat = {
  family: "openai-chat",
  buildRequest(request, call) {
    const headers: Record<string, string> = {
      "authorization": `Bearer ${call.apiKey}`,
      "content-type": "application/json",
      "accept": "text/event-stream",
      "user-agent": USER_AGENT,
      // OpenCode Go answers 400 MissingSessionID without it, and uses it for upstream cache affinity.
      "x-opencode-session": call.sessionId,
      "x-opencode-client": OPENCODE_CLIENT,
    };
    return {
      url: `${call.model.baseUrl.replace(/\/+$/, "")}/chat/completions`,
      headers,
      body: JSON.stringify(openaiChatRequestFromHub(request, call.model)),
    };
  },
  createStreamToHub: (builder) => openaiChatStreamToHub(builder),
  buildPassthroughRequest: openaiChatPassthroughRequest,
  createPassthroughFilter: openaiChatPassthroughFilter,
  passthroughAnswerUsage: openaiChatAnswerUsage,
};

// The client face, so the whole format is one import.
export {
  createOpenaiChatClient,
  openaiChatClient,
  openaiChatFirstUserText,
  parseOpenaiChatRequest,
} from "./client.ts";
