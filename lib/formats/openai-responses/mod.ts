/** The OpenAI Responses upstream (`POST {base}/responses`): GPT models on Zen, a few models on Go. */
import { OPENCODE_CLIENT, USER_AGENT } from "../../upstream/identity.ts";
import type { UpstreamFormat } from "../../hub/wire_format.ts";
import {
  openaiResponsesAnswerUsage,
  openaiResponsesPassthroughFilter,
  openaiResponsesPassthroughRequest,
} from "./passthrough.ts";
import { openaiResponsesRequestFromHub } from "./request_from_hub.ts";
import { openaiResponsesStreamToHub } from "./stream_to_hub.ts";

export const openaiResponsesUpstream: UpstreamFormat = {
  family: "openai-responses",
  buildRequest(request, call) {
    const body = openaiResponsesRequestFromHub(request, call.model, call.sessionId);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "text/event-stream",
      authorization: `Bearer ${call.apiKey}`,
      "x-opencode-session": call.sessionId,
      "user-agent": USER_AGENT,
      "x-opencode-client": OPENCODE_CLIENT,
    };
    return {
      url: `${call.model.baseUrl.replace(/\/+$/, "")}/responses`,
      headers,
      body: JSON.stringify(body),
    };
  },
  createStreamToHub: openaiResponsesStreamToHub,
  buildPassthroughRequest: openaiResponsesPassthroughRequest,
  createPassthroughFilter: openaiResponsesPassthroughFilter,
  passthroughAnswerUsage: openaiResponsesAnswerUsage,
};

// The client face, so the whole format is one import.
export {
  createOpenaiResponsesClient,
  openaiResponsesClient,
  openaiResponsesFirstUserText,
  parseOpenaiResponsesRequest,
} from "./client.ts";
