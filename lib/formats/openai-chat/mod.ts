/** PLACEHOLDER: replaced by the openai-chat upstream implementation. */
import { GatewayError } from "../../errors/gateway_error.ts";
import type { UpstreamFormat } from "../wire_format.ts";

export const openaiChatUpstream: UpstreamFormat = {
  family: "openai-chat",
  buildRequest() {
    throw new GatewayError("api_error", "The openai-chat upstream is not implemented yet");
  },
  createStreamToHub() {
    throw new GatewayError("api_error", "The openai-chat upstream is not implemented yet");
  },
};
