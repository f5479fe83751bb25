/**
 * The Anthropic Messages upstream (`{baseUrl}/messages`): MiniMax and Qwen on OpenCode Go, Claude and Qwen on
 * Zen. The request is sanitized per the upstream's profile; Anthropic clients get the upstream's bytes
 * through the passthrough, everyone else gets hub events.
 */
import { OPENCODE_CLIENT, USER_AGENT } from "../../upstream/identity.ts";
import type { UpstreamFormat } from "../../hub/wire_format.ts";
import { anthropicPassthroughFilter } from "./passthrough.ts";
import { anthropicRequestFromHub } from "./request_from_hub.ts";
import { anthropicStreamToHub } from "./stream_to_hub.ts";
import { anthropicSignatureOrigin } from "./thinking_signature.ts";
import { resolveAnthropicProfile } from "./upstream_profiles.ts";

const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

export const anthropicUpstream: UpstreamFormat = {
  family: "anthropic",
  buildRequest(request, call) {
    const profile = resolveAnthropicProfile(call.model);
    const headers: Record<string, string> = {
      // OpenCode's /messages reads the key from x-api-key only.
      "x-api-key": call.apiKey,
      "anthropic-version": call.clientHeaders.get("anthropic-version") ?? DEFAULT_ANTHROPIC_VERSION,
      "content-type": "application/json",
      "accept": "text/event-stream",
      "user-agent": USER_AGENT,
      // OpenCode Go answers 400 MissingSessionID without it, and uses it for upstream cache affinity.
      "x-opencode-session": call.sessionId,
      "x-opencode-client": OPENCODE_CLIENT,
    };
    const betas = call.clientHeaders.get("anthropic-beta");
    if (betas && profile.betas === "forward") headers["anthropic-beta"] = betas;
    return {
      url: `${call.model.baseUrl.replace(/\/+$/, "")}/messages`,
      headers,
      body: JSON.stringify(
        anthropicRequestFromHub(request, {
          profile,
          upstreamModel: call.model.upstreamModel,
          origin: anthropicSignatureOrigin(call.model),
        }),
      ),
    };
  },
  // Both stream paths wrap the upstream's thinking signatures for this origin; buildRequest unwraps them.
  createStreamToHub: (builder, call) => anthropicStreamToHub(builder, anthropicSignatureOrigin(call.model)),
  // The request is always rebuilt from the hub (sanitized per profile); only the stream is passed through.
  createPassthroughFilter: (call, clientModelName, options) =>
    anthropicPassthroughFilter(
      clientModelName,
      anthropicSignatureOrigin(call.model),
      options.onUsage,
      options.secrets,
    ),
};

// The client face, so the whole format is one import.
export { anthropicClient, parseAnthropicCountTokensRequest, parseAnthropicRequest } from "./client.ts";
