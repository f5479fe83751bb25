/** The wire formats by name: adding one is a folder plus a line here (and one in clientWriters if clients speak it). */
import type { Family } from "../catalog/types.ts";
import type { ClientFormat, ClientWriter, UpstreamFormat } from "../hub/wire_format.ts";
import { anthropicClient, anthropicUpstream } from "./anthropic/mod.ts";
import { geminiUpstream } from "./gemini/mod.ts";
import { openaiChatClient, openaiChatUpstream } from "./openai-chat/mod.ts";
import { openaiResponsesClient, openaiResponsesUpstream } from "./openai-responses/mod.ts";

export const upstreamFormats: Record<Family, UpstreamFormat> = {
  "openai-chat": openaiChatUpstream,
  "anthropic": anthropicUpstream,
  "openai-responses": openaiResponsesUpstream,
  "gemini": geminiUpstream,
};

/** Each client format's writer without per-request options: what renders an error before a request is parsed. */
export const clientWriters: Record<ClientFormat, ClientWriter> = {
  "anthropic": anthropicClient,
  "openai-chat": openaiChatClient,
  "openai-responses": openaiResponsesClient,
};
