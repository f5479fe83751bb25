/** PLACEHOLDER: replaced by the anthropic upstream implementation. */
import { GatewayError } from "../../errors/gateway_error.ts";
import type { UpstreamFormat } from "../wire_format.ts";

export const anthropicUpstream: UpstreamFormat = {
  family: "anthropic",
  buildRequest() {
    throw new GatewayError("api_error", "The anthropic upstream is not implemented yet");
  },
  createStreamToHub() {
    throw new GatewayError("api_error", "The anthropic upstream is not implemented yet");
  },
};
