/** Upstream formats by family: adding a wire format is one folder plus one line here. */
import type { Family } from "../catalog/types.ts";
import { anthropicUpstream } from "./anthropic/mod.ts";
import { geminiUpstream } from "./gemini/mod.ts";
import { openaiChatUpstream } from "./openai-chat/mod.ts";
import { openaiResponsesUpstream } from "./openai-responses/mod.ts";
import type { UpstreamFormat } from "../hub/wire_format.ts";

export const upstreamFormats: Record<Family, UpstreamFormat> = {
  "openai-chat": openaiChatUpstream,
  "anthropic": anthropicUpstream,
  "openai-responses": openaiResponsesUpstream,
  "gemini": geminiUpstream,
};
